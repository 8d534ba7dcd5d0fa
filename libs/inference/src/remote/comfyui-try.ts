import { randomUUID } from 'node:crypto';
import type { ComfyuiRemoteSpec } from '@atelier/models';
import type { GenerationJobRequest } from '../generation/generation-request';
import { bindGraph, fieldValues } from './bind-graph';
import { ComfySocket, type ComfySocketEvent } from './comfyui-socket';
import { TryAborted, UpstreamFault, UpstreamRejection, UpstreamRunFailed } from './upstream-errors';
import { readBody, sleep, upstreamFetch } from './upstream-http';

/** Where a try reports the upstream's progress and previews. */
export interface ProgressSink {
  progress(step: number, total: number): void;
  preview(image: Buffer): void;
}

interface HistoryEntry {
  outputs?: Record<string, { images?: Array<{ filename: string; subfolder?: string; type?: string }> }>;
  status?: { status_str?: string; completed?: boolean; messages?: Array<[string, Record<string, unknown>]> };
}

/** How long tidying up a left prompt (queue delete, interrupt) may take. */
const STOP_TIMEOUT_MS = 2_000;

/**
 * One try of a job against one ComfyUI host: socket first (so no event is missed), the init
 * image uploaded for img2img, the bound graph submitted with our own prompt id, then the end
 * awaited on the socket (progress and previews relayed) or, once the socket is gone, by polling
 * `/history/{id}`; the output node's images are downloaded from `/view`. A try that ends before
 * the upstream finished (timeout, deadline, cancel, a fault) deletes and interrupts its prompt
 * there before it returns, so a retry never runs beside it.
 */
export async function comfyuiTry(spec: ComfyuiRemoteSpec, host: string, request: GenerationJobRequest, headers: Record<string, string>, sink: ProgressSink, signal: AbortSignal): Promise<Buffer[]> {
  const clientId = randomUUID();
  let promptId: string = randomUUID();
  const socket = await ComfySocket.open(`${host.replace(/^http/, 'ws')}/ws?clientId=${clientId}`, headers, Math.min(5_000, spec.resilience.tryTimeoutMs), signal);
  const watch = watchPrompt(socket, () => promptId, sink);
  let submitted = false;
  let settled = false;
  try {
    const imageName = request.initImage ? await uploadImage(host, headers, request.initImage, signal) : undefined;
    const graph = bindGraph(spec, fieldValues(request, imageName));
    submitted = true; // from here the upstream may hold the prompt, even if its answer never arrives
    const response = await upstreamFetch(host, `${host}/prompt`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: graph, client_id: clientId, prompt_id: promptId, extra_data: { preview_method: 'auto' } }),
    }, signal).catch((error: unknown) => {
      // An error status is an answer: the upstream did not queue the prompt, nothing to tidy up.
      if (error instanceof UpstreamRejection || (error instanceof UpstreamFault && error.kind === '5xx')) settled = true;
      throw error;
    });
    const answer = await readBody<{ prompt_id?: string; error?: unknown }>(host, response, 'json', signal);
    if (answer.error) throw new UpstreamRejection(host, 200, `${host} refused the prompt: ${JSON.stringify(answer.error).slice(0, 300)}`);
    if (typeof answer.prompt_id === 'string') promptId = answer.prompt_id;
    const entry = await awaitHistory(host, () => promptId, headers, socket, watch, spec.resilience.pollIntervalMs, signal);
    settled = true;
    if (entry.status?.status_str === 'error') {
      throw new UpstreamRunFailed(host, `${host} failed the prompt: ${watch.error ?? errorOf(entry) ?? 'execution error'}`);
    }
    const images = entry.outputs?.[spec.output]?.images ?? [];
    if (images.length === 0) throw new UpstreamRunFailed(host, `${host} finished the prompt without an image in node ${spec.output}`);
    return await Promise.all(images.map((image) => download(host, headers, image, signal)));
  } finally {
    watch.stop();
    socket?.close();
    if (submitted && !settled) await stopPrompt(host, headers, promptId);
  }
}

interface PromptWatch {
  finished: boolean;
  error?: string;
  /** Resolves once the prompt ended (per the socket) or the socket dropped. */
  endedOrDropped: Promise<void>;
  stop(): void;
}

function watchPrompt(socket: ComfySocket | undefined, promptId: () => string, sink: ProgressSink): PromptWatch {
  let resolve!: () => void;
  const endedOrDropped = new Promise<void>((r) => (resolve = r));
  const watch: PromptWatch = { finished: false, endedOrDropped, stop: () => undefined };
  if (!socket) {
    resolve();
    return watch;
  }
  const offEvent = socket.onEvent((event: ComfySocketEvent) => {
    if (event.type === 'preview') return sink.preview(event.image);
    const id = event.data.prompt_id;
    // The client id is this try's alone; an event naming another prompt is not ours.
    if (typeof id === 'string' && id !== promptId()) return;
    switch (event.event) {
      case 'progress':
        if (typeof event.data.value === 'number' && typeof event.data.max === 'number') sink.progress(event.data.value, event.data.max);
        return;
      case 'execution_error':
        watch.error = String(event.data.exception_message ?? event.data.exception_type ?? 'execution error');
        break;
      case 'execution_interrupted':
        watch.error = 'the prompt was interrupted upstream';
        break;
      case 'execution_success':
        break;
      case 'executing':
        if (event.data.node !== null || typeof id !== 'string') return;
        break;
      default:
        return;
    }
    watch.finished = true;
    resolve();
  });
  const offClose = socket.onClose(resolve);
  watch.stop = () => {
    offEvent();
    offClose();
  };
  return watch;
}

/** The prompt's history entry once it is done: waited for on the socket, polled once the socket is gone. */
async function awaitHistory(host: string, promptId: () => string, headers: Record<string, string>, socket: ComfySocket | undefined, watch: PromptWatch, pollMs: number, signal: AbortSignal): Promise<HistoryEntry> {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new TryAborted());
    signal.addEventListener('abort', () => reject(new TryAborted()), { once: true });
  });
  aborted.catch(() => undefined);
  for (;;) {
    if (socket && !socket.closed && !watch.finished) await Promise.race([watch.endedOrDropped, aborted]);
    const id = promptId();
    const history = await readBody<Record<string, HistoryEntry>>(host, await upstreamFetch(host, `${host}/history/${encodeURIComponent(id)}`, { headers }, signal), 'json', signal);
    const entry = history[id];
    if (entry && (entry.status?.completed || entry.status?.status_str === 'success' || entry.status?.status_str === 'error')) return entry;
    await sleep(pollMs, signal);
  }
}

function errorOf(entry: HistoryEntry): string | undefined {
  const error = entry.status?.messages?.find(([event]) => event === 'execution_error' || event === 'execution_interrupted');
  if (!error) return undefined;
  return error[0] === 'execution_interrupted' ? 'the prompt was interrupted upstream' : String(error[1].exception_message ?? 'execution error');
}

async function uploadImage(host: string, headers: Record<string, string>, image: Buffer, signal: AbortSignal): Promise<string> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(image)], { type: 'image/png' }), `atelier-${randomUUID()}.png`);
  form.append('overwrite', 'true');
  form.append('type', 'input');
  const answer = await readBody<{ name?: string; subfolder?: string }>(host, await upstreamFetch(host, `${host}/upload/image`, { method: 'POST', headers, body: form }, signal), 'json', signal);
  if (typeof answer.name !== 'string') throw new UpstreamRunFailed(host, `${host} did not name the uploaded image`);
  return answer.subfolder ? `${answer.subfolder}/${answer.name}` : answer.name;
}

async function download(host: string, headers: Record<string, string>, image: { filename: string; subfolder?: string; type?: string }, signal: AbortSignal): Promise<Buffer> {
  const query = new URLSearchParams({ filename: image.filename, subfolder: image.subfolder ?? '', type: image.type ?? 'output' });
  return readBody<Buffer>(host, await upstreamFetch(host, `${host}/view?${query}`, { headers }, signal), 'bytes', signal);
}

/** Best effort, on its own short timer (the try's signal has usually fired): dequeue it if pending, interrupt it if running. */
async function stopPrompt(host: string, headers: Record<string, string>, promptId: string): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${host}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(STOP_TIMEOUT_MS) })
      .then((r) => r.body?.cancel())
      .catch(() => undefined);
  await Promise.all([post('/queue', { delete: [promptId] }), post('/interrupt', { prompt_id: promptId })]);
}
