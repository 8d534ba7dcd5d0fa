import type { ComfyPrompt } from './comfy-prompts.repository';
import { nodeOutputs, type NodeOutputs } from './comfy-messages';

/** A `/queue` item: `[number, prompt_id, prompt, extra_data, outputs_to_execute]` (clients read `[1]`). */
export type QueueItem = [number, string, Record<string, unknown>, Record<string, unknown>, string[]];

export interface HistoryEntry {
  prompt: QueueItem;
  outputs: NodeOutputs;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: Array<[string, Record<string, unknown>]> };
  meta: Record<string, { node_id: string; display_node: string; parent_node: null; real_node_id: string }>;
}

export const queueItem = (prompt: ComfyPrompt): QueueItem => [prompt.number, prompt.promptId, prompt.graph, prompt.extraData, prompt.outputsToExecute];

const millis = (date: Date | null, fallback: Date): number => (date ?? fallback).getTime();

/** A finished prompt as ComfyUI's history holds it, rebuilt from its job row. */
export function historyEntry(prompt: ComfyPrompt): HistoryEntry {
  const outputs = nodeOutputs(prompt.outputs);
  const succeeded = prompt.status === 'succeeded';
  const started = millis(prompt.startedAt, prompt.createdAt);
  const finished = millis(prompt.finishedAt, prompt.createdAt);
  const base = { prompt_id: prompt.promptId };
  const messages: Array<[string, Record<string, unknown>]> = [];
  if (prompt.startedAt) {
    messages.push(['execution_start', { ...base, timestamp: started }], ['execution_cached', { nodes: [], ...base, timestamp: started }]);
  }
  if (succeeded) messages.push(['execution_success', { ...base, timestamp: finished }]);
  else if (prompt.status === 'canceled') messages.push(['execution_interrupted', { ...base, node_id: null, node_type: null, executed: Object.keys(outputs), timestamp: finished }]);
  else messages.push(['execution_error', { ...base, ...errorDetails(prompt), executed: Object.keys(outputs), timestamp: finished }]);
  return {
    prompt: queueItem(prompt),
    outputs,
    status: { status_str: succeeded ? 'success' : 'error', completed: succeeded, messages },
    meta: Object.fromEntries(Object.keys(outputs).map((node) => [node, { node_id: node, display_node: node, parent_node: null, real_node_id: node }])),
  };
}

/** The fields of `execution_error` a failed job can tell. */
export function errorDetails(prompt: Pick<ComfyPrompt, 'error'>, node?: { id: string | null; type: string | null }) {
  return {
    node_id: prompt.error?.node ?? node?.id ?? null,
    node_type: prompt.error?.nodeType ?? node?.type ?? null,
    exception_message: prompt.error?.message ?? 'The prompt failed',
    exception_type: prompt.error?.code ?? 'JOB_FAILED',
    traceback: [],
    current_inputs: {},
    current_outputs: [],
  };
}

type ComfyJobStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';
const JOB_STATUS: Record<ComfyPrompt['status'], ComfyJobStatus> = {
  queued: 'pending',
  running: 'in_progress',
  succeeded: 'completed',
  failed: 'failed',
  canceled: 'cancelled',
};
export const ATELIER_STATUSES: Record<ComfyJobStatus, ComfyPrompt['status']> = {
  pending: 'queued',
  in_progress: 'running',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'canceled',
};

/** A prompt as ComfyUI's `/api/jobs` describes it; `detailed` adds outputs and the workflow (GET /api/jobs/{id}). */
export function jobSummary(prompt: ComfyPrompt, detailed = false): Record<string, unknown> {
  const outputs = nodeOutputs(prompt.outputs);
  const images = Object.entries(outputs).flatMap(([nodeId, ui]) => (ui.images ?? []).map((image) => ({ ...(image as object), nodeId, mediaType: 'images' })));
  const finished = prompt.finishedAt && prompt.status !== 'queued' && prompt.status !== 'running';
  const entry = finished ? historyEntry(prompt) : null;
  const workflowId = ((prompt.extraData.extra_pnginfo as { workflow?: { id?: unknown } } | undefined)?.workflow?.id as string | undefined) ?? undefined;
  const job: Record<string, unknown> = {
    id: prompt.promptId,
    status: JOB_STATUS[prompt.status],
    priority: prompt.number,
    create_time: (prompt.extraData.create_time as number | undefined) ?? prompt.createdAt.getTime(),
    ...(prompt.startedAt ? { execution_start_time: prompt.startedAt.getTime() } : {}),
    ...(finished ? { execution_end_time: prompt.finishedAt!.getTime() } : {}),
    ...(prompt.status === 'failed' ? { execution_error: entry!.status.messages.at(-1)![1] } : {}),
    outputs_count: Object.values(outputs).reduce((n, ui) => n + Object.values(ui).reduce((m, list) => m + list.length, 0), 0),
    previewable_outputs_count: images.length,
    ...(images[0] ? { preview_output: images[0] } : {}),
    ...(workflowId ? { workflow_id: workflowId } : {}),
  };
  if (detailed) {
    job.outputs = outputs;
    if (entry) job.execution_status = entry.status;
    job.workflow = { prompt: prompt.graph, extra_data: prompt.extraData };
  }
  return job;
}
