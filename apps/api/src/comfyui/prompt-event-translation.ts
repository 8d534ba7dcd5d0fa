import type { JobError, JobOutput } from '@atelier/jobs';
import { comfyUiOutput, nodeOutputs, type ComfyMessage } from './comfy-messages';
import { errorDetails } from './comfy-history';

/** A job event as the event stream carries it; the workflow events are read by name, loosely. */
export interface JobEvent {
  ownerId: string;
  event: string;
  payload: Record<string, unknown> & { jobId: string };
}

/** What a prompt's client was told so far: enough to keep ComfyUI's message order and to catch a reconnect up. */
export interface LivePrompt {
  ownerId: string;
  jobId: string;
  promptId: string;
  clientId: string | null;
  /** `extra_data.preview_method` asked for previews. */
  previews: boolean;
  started: boolean;
  cachedSent: boolean;
  node: string | null;
  nodeType: string | null;
  executed: string[];
  lastProgress: ComfyMessage | null;
  finished: boolean;
}

/** One thing to do for an event, in order: a frame for the prompt's client, a preview frame, or a status to all the owner's sockets. */
export type RelayStep = { kind: 'message'; message: ComfyMessage } | { kind: 'preview'; dataUrl: string } | { kind: 'status' };

export function livePrompt(meta: { ownerId: string; jobId: string; promptId: string; clientId: string | null; extraData: Record<string, unknown> }): LivePrompt {
  const method = meta.extraData.preview_method;
  return {
    ownerId: meta.ownerId,
    jobId: meta.jobId,
    promptId: meta.promptId,
    clientId: meta.clientId,
    previews: typeof method === 'string' && method !== 'none',
    started: false,
    cachedSent: false,
    node: null,
    nodeType: null,
    executed: [],
    lastProgress: null,
    finished: false,
  };
}

/**
 * Translates one job event into ComfyUI's messages, in the order ComfyUI sends them:
 * `execution_start` → `execution_cached` (always, `nodes` always a list) → per node `executing`,
 * `progress` (+ a preview frame when asked), `executed` → `execution_success` | `execution_error` |
 * `execution_interrupted` → `status` → `executing {node: null}` last. Updates `prompt`.
 */
export function translateJobEvent(prompt: LivePrompt, event: JobEvent, now = Date.now()): RelayStep[] {
  if (prompt.finished) return [];
  const steps: RelayStep[] = [];
  const send = (type: string, data: Record<string, unknown>) => steps.push({ kind: 'message', message: { type, data: { ...data, prompt_id: prompt.promptId } } });
  const start = () => {
    if (prompt.started) return;
    prompt.started = true;
    send('execution_start', { timestamp: now });
  };
  const cached = (nodes: string[]) => {
    start();
    if (prompt.cachedSent && !nodes.length) return;
    prompt.cachedSent = true;
    send('execution_cached', { nodes, timestamp: now });
  };
  const executing = (node: string, nodeType: string | null) => {
    cached([]);
    if (prompt.node === node) return;
    prompt.node = node;
    prompt.nodeType = nodeType;
    send('executing', { node, display_node: node });
  };
  const executed = (node: string, output: Record<string, unknown>) => {
    if (!prompt.executed.includes(node)) prompt.executed.push(node);
    send('executed', { node, display_node: node, output: comfyUiOutput(output) });
  };
  const end = (type: string, data: Record<string, unknown>) => {
    // A prompt removed from the queue before it started is only told it was interrupted.
    if (prompt.started || type !== 'execution_interrupted') cached([]);
    prompt.finished = true;
    send(type, { ...data, timestamp: now });
    steps.push({ kind: 'status' });
    send('executing', { node: null });
  };
  const payload = event.payload;
  switch (event.event) {
    case 'job.queued':
      steps.push({ kind: 'status' });
      break;
    case 'job.started':
      steps.push({ kind: 'status' });
      start();
      break;
    case 'job.nodes.cached':
      cached(stringList(payload.nodes));
      break;
    case 'job.node.started':
      if (typeof payload.node === 'string') executing(payload.node, stringOrNull(payload.nodeType));
      break;
    case 'job.progress': {
      const node = stringOrNull(payload.node);
      if (node) executing(node, stringOrNull(payload.nodeType));
      else cached([]);
      const value = numberOr(payload.nodeStep, numberOr(payload.step, 0));
      const max = numberOr(payload.nodeTotalSteps, numberOr(payload.totalSteps, 1));
      const progress: ComfyMessage = { type: 'progress', data: { value, max, prompt_id: prompt.promptId, node: node ?? prompt.node } };
      prompt.lastProgress = progress;
      steps.push({ kind: 'message', message: progress });
      if (prompt.previews && typeof payload.previewUrl === 'string') steps.push({ kind: 'preview', dataUrl: payload.previewUrl });
      break;
    }
    case 'job.node.executed':
      if (typeof payload.node === 'string') {
        executing(payload.node, stringOrNull(payload.nodeType));
        executed(payload.node, (payload.output as Record<string, unknown>) ?? {});
      }
      break;
    case 'job.succeeded': {
      // Output nodes whose `executed` this socket never got (e.g. it missed them) are reported from the outputs.
      for (const [node, ui] of Object.entries(nodeOutputs((payload.outputs as JobOutput[]) ?? []))) {
        if (!prompt.executed.includes(node)) {
          cached([]);
          prompt.executed.push(node);
          send('executed', { node, display_node: node, output: ui });
        }
      }
      end('execution_success', {});
      break;
    }
    case 'job.failed':
      end('execution_error', {
        ...errorDetails({ error: (payload.error as JobError | undefined) ?? null }, { id: prompt.node, type: prompt.nodeType }),
        executed: [...prompt.executed],
      });
      break;
    case 'job.canceled':
      end('execution_interrupted', { node_id: prompt.node, node_type: prompt.nodeType, executed: [...prompt.executed] });
      break;
  }
  return steps;
}

/** What a socket that (re)connects is told of a prompt still running: the node it is on and its last progress. */
export function currentState(prompt: LivePrompt): ComfyMessage[] {
  if (prompt.finished || !prompt.started) return [];
  const messages: ComfyMessage[] = [];
  if (prompt.node) messages.push({ type: 'executing', data: { node: prompt.node, display_node: prompt.node, prompt_id: prompt.promptId } });
  if (prompt.lastProgress) messages.push(prompt.lastProgress);
  return messages;
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
