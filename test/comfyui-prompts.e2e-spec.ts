import { Client } from '@stable-canvas/comfyui-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppProcess, startSystem } from './support/app-process';
import { txt2imgGraph } from './support/comfy-graphs';
import { type ComfyFrame, ComfySocket } from './support/comfy-socket';
import { HttpClient, registerUser } from './support/http-client';
import { TestEnvironment } from './support/test-environment';

const done = (promptId: string) => (f: ComfyFrame) => f.type === 'executing' && f.data.node === null && f.data.prompt_id === promptId;
const ofPrompt = (socket: ComfySocket, promptId: string) => socket.frames.filter((f) => f.data?.prompt_id === promptId);

/**
 * Prompts on the raw ComfyUI socket, as the clients rely on them: message order, previews only
 * when asked, history before the queue lets go, the state replayed to a socket that reconnects,
 * isolation between two users, and a history that outlives the API process.
 */
describe('ComfyUI surface: prompts', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let baseUrl: string;
  let wsUrl: string;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ WORKER_GPU_CONCURRENCY: '1' }));
    ({ api, worker, baseUrl } = system);
    http = new HttpClient(baseUrl);
    wsUrl = baseUrl.replace(/^http/, 'ws');
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const submit = async (client: HttpClient, body: Record<string, unknown>) => {
    const answer = await client.post('/prompt', body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual({ prompt_id: expect.any(String), number: expect.any(Number), node_errors: {} });
    return answer.body.prompt_id as string;
  };

  it('sends ComfyUI\'s messages in ComfyUI\'s order, each with prompt_id, executing {node: null} last; previews only when asked', async () => {
    const user = await registerUser(http, 'comfy-order');
    const socket = await ComfySocket.open(`${wsUrl}/ws?clientId=order`, { authorization: `Bearer ${user.token}` });
    const plain = await submit(user.client, { prompt: txt2imgGraph({ steps: 4 }), client_id: 'order' });
    await socket.waitFor(done(plain), 'the end of the prompt', 60_000);
    const types = ofPrompt(socket, plain).map((f) => f.type);
    const first = (type: string) => types.indexOf(type);
    expect(first('execution_start')).toBe(0);
    expect(first('execution_cached')).toBe(1);
    expect(first('executing')).toBeLessThan(first('progress'));
    expect(first('progress')).toBeLessThan(first('executed'));
    expect(first('executed')).toBeLessThan(first('execution_success'));
    expect(types.at(-1)).toBe('executing');
    expect(ofPrompt(socket, plain).find((f) => f.type === 'execution_cached')!.data.nodes).toEqual(expect.any(Array));
    // After execution_success: a status (the queue changed) before the final executing.
    const success = socket.frames.findIndex((f) => f.type === 'execution_success' && f.data.prompt_id === plain);
    const last = socket.frames.findIndex(done(plain));
    expect(socket.frames.slice(success + 1, last).map((f) => f.type)).toContain('status');
    const executed = ofPrompt(socket, plain).find((f) => f.type === 'executed')!;
    expect(executed.data).toMatchObject({ node: '9', output: { images: [{ filename: expect.stringMatching(/\.png$/), subfolder: '', type: 'output' }] } });
    expect(socket.binary).toHaveLength(0);

    const previewed = await submit(user.client, { prompt: txt2imgGraph({ steps: 8, seed: 3 }), client_id: 'order', extra_data: { preview_method: 'auto' } });
    await socket.waitFor(done(previewed), 'the end of the previewed prompt', 60_000);
    expect(socket.binary.length).toBeGreaterThan(0);
    for (const frame of socket.binary) {
      expect(frame.readUInt32BE(0)).toBe(1); // PREVIEW_IMAGE
      expect(frame.readUInt32BE(4)).toBe(1); // JPEG
      expect([...frame.subarray(8, 10)]).toEqual([0xff, 0xd8]);
    }
    socket.close();
  });

  it('shows a prompt in /queue or, finished, in /history at every moment from POST /prompt on', async () => {
    const user = await registerUser(http, 'comfy-race');
    const promptId = await submit(user.client, { prompt: txt2imgGraph({ steps: 3 }) });
    const seen = new Set<string>();
    for (;;) {
      const [queue, history] = await Promise.all([user.client.get('/queue'), user.client.get(`/history/${promptId}`)]);
      const items = [...queue.body.queue_running, ...queue.body.queue_pending] as unknown[][];
      const inQueue = items.some((item) => item[1] === promptId);
      const entry = history.body[promptId];
      // ComfyUI's invariant, which saintno's CallWrapper depends on: never in neither.
      expect(inQueue || Boolean(entry), `prompt ${promptId} in neither /queue nor /history`).toBe(true);
      seen.add(inQueue ? 'queue' : 'history');
      if (entry && !inQueue) {
        expect(entry.status).toMatchObject({ status_str: 'success', completed: true });
        expect(entry.prompt[1]).toBe(promptId);
        break;
      }
    }
    expect(seen).toContain('queue');
  });

  it('catches a socket that reconnects with the same clientId up on its running prompt, and keeps the new socket', async () => {
    const user = await registerUser(http, 'comfy-replay');
    const first = await ComfySocket.open(`${wsUrl}/ws?clientId=replay`, { authorization: `Bearer ${user.token}` });
    const promptId = await submit(user.client, { prompt: txt2imgGraph({ steps: 150, size: 256 }), client_id: 'replay' });
    // Sampler steps: the long node, still running when the second socket connects.
    await first.waitFor((f) => f.type === 'progress' && f.data.prompt_id === promptId && f.data.node === '3' && f.data.value > 0, 'sampler progress', 60_000);

    const second = await ComfySocket.open(`${wsUrl}/ws?clientId=replay`, { authorization: `Bearer ${user.token}` });
    expect((await first.closed).code).toBe(4000);
    const greeting = await second.waitFor((f) => f.type === 'progress', 'the replayed progress');
    expect(second.frames[0]).toMatchObject({ type: 'status', data: { sid: 'replay', status: { exec_info: { queue_remaining: 1 } } } });
    expect(second.frames[1]).toEqual({ type: 'executing', data: { node: '3', display_node: '3', prompt_id: promptId } });
    expect(greeting.data).toMatchObject({ prompt_id: promptId, node: '3', max: 150 });
    expect(greeting.data.value).toBeGreaterThan(0);
    await second.waitFor(done(promptId), 'the end of the prompt on the new socket', 90_000);
    expect(ofPrompt(second, promptId).map((f) => f.type)).toContain('execution_success');
    second.close();
  });

  it('isolates two users: neither sees the other\'s queue, history, files or events, even with the same clientId', async () => {
    const alice = await registerUser(http, 'comfy-alice');
    const bob = await registerUser(http, 'comfy-bob');
    const aliceSocket = await ComfySocket.open(`${wsUrl}/ws?clientId=same`, { authorization: `Bearer ${alice.token}` });
    const bobSocket = await ComfySocket.open(`${wsUrl}/ws?clientId=same`, { authorization: `Bearer ${bob.token}` });
    // Bob's stable-canvas client rejects its run on any execution_error it receives: Alice's failing prompt must not reach it.
    const headers = { Authorization: `Bearer ${bob.token}` };
    class BobSocket extends WebSocket {
      constructor(url: string) {
        super(url, { headers });
      }
    }
    const bobClient = new Client({ api_host: new URL(baseUrl).host, ssl: false, WebSocket: BobSocket, clientId: 'canvas-bob', fetch: (url: any, init: any = {}) => fetch(url, { ...init, headers: { ...(init.headers ?? {}), ...headers } }) });
    await bobClient.connect();

    const failing = txt2imgGraph({ seed: 21 });
    failing['8']!.inputs.samples = ['5', 0]; // VAEDecode of an empty latent fails when it runs
    const aliceFailing = await submit(alice.client, { prompt: failing, client_id: 'same' });
    const alicePrompt = await submit(alice.client, { prompt: txt2imgGraph({ steps: 8, size: 128 }), client_id: 'same' });
    const bobRun = bobClient.enqueue(txt2imgGraph({ seed: 5 }), { timeout_ms: 120_000 });
    const bobPrompt = await submit(bob.client, { prompt: txt2imgGraph({ steps: 2, seed: 6 }), client_id: 'same' });

    const idsIn = (queue: { queue_running: unknown[][]; queue_pending: unknown[][] }) => [...queue.queue_running, ...queue.queue_pending].map((item) => item[1]);
    expect(idsIn((await alice.client.get('/queue')).body)).not.toContain(bobPrompt);
    expect(idsIn((await bob.client.get('/queue')).body)).not.toContain(alicePrompt);

    const error = await aliceSocket.waitFor((f) => f.type === 'execution_error' && f.data.prompt_id === aliceFailing, 'Alice\'s execution_error', 90_000);
    expect(error.data).toMatchObject({ node_id: '8', node_type: 'VAEDecode', exception_type: 'WORKFLOW_NODE_FAILED', exception_message: expect.any(String) });
    const bobOut = await bobRun;
    expect(bobOut.images).toHaveLength(1);
    bobClient.close();
    await Promise.all([aliceSocket.waitFor(done(alicePrompt), 'Alice\'s prompt', 90_000), bobSocket.waitFor(done(bobPrompt), 'Bob\'s prompt', 90_000)]);
    for (const id of [aliceFailing, alicePrompt]) expect(ofPrompt(bobSocket, id)).toEqual([]);
    expect(ofPrompt(aliceSocket, bobPrompt)).toEqual([]);
    expect(bobSocket.ofType('execution_error')).toEqual([]);

    expect(Object.keys((await bob.client.get('/history')).body).sort()).toEqual([bobOut.prompt_id, bobPrompt].sort());
    expect((await bob.client.get(`/history/${alicePrompt}`)).body).toEqual({});
    expect(await bob.client.get(`/api/jobs/${alicePrompt}`)).toMatchObject({ status: 404 });
    const failedEntry = (await alice.client.get(`/history/${aliceFailing}`)).body[aliceFailing];
    expect(failedEntry.status).toMatchObject({ status_str: 'error', completed: false });
    const aliceImage = (await alice.client.get(`/history/${alicePrompt}`)).body[alicePrompt].outputs['9'].images[0].filename as string;
    expect((await alice.client.bytes(`/view?filename=${aliceImage}&type=output&subfolder=`)).status).toBe(200);
    expect(await bob.client.get(`/view?filename=${aliceImage}&type=output&subfolder=`)).toMatchObject({ status: 404, body: { code: 'IMAGE_NOT_FOUND' } });
    aliceSocket.close();
    bobSocket.close();
  });

  it('removes only the caller\'s waiting prompts with POST /queue, tells /api/jobs states apart, and keeps history across an API restart', async () => {
    const user = await registerUser(http, 'comfy-durable');
    const socket = await ComfySocket.open(`${wsUrl}/ws?clientId=durable`, { authorization: `Bearer ${user.token}` });
    // The free plan runs two at a time: a long one running, and one waiting behind it.
    const running = await submit(user.client, { prompt: txt2imgGraph({ steps: 150, size: 256 }), client_id: 'durable' });
    await socket.waitFor((f) => f.type === 'execution_start' && f.data.prompt_id === running, 'the first prompt to start', 60_000);
    const waiting = await submit(user.client, { prompt: txt2imgGraph({ seed: 11 }), client_id: 'durable', front: true });
    const queue = (await user.client.get('/queue')).body;
    expect(queue.queue_running.map((item: unknown[]) => item[1])).toEqual([running]);
    expect((await user.client.get(`/api/jobs/${running}`)).body).toMatchObject({ id: running, status: 'in_progress' });

    // One generation at a time on this worker: the second waits.
    expect(queue.queue_pending.map((item: unknown[]) => item[1])).toEqual([waiting]);
    expect((await user.client.get(`/api/jobs/${waiting}`)).body.status).toBe('pending');
    expect((await user.client.post('/queue', { delete: [waiting] })).status).toBe(200);
    await socket.waitFor(done(waiting), 'the removed prompt to be told', 30_000);
    expect((await user.client.get(`/api/jobs/${waiting}`)).body.status).toBe('cancelled');
    expect(ofPrompt(socket, waiting).map((f) => f.type)).toEqual(['execution_interrupted', 'executing']);
    expect((await user.client.post('/interrupt')).status).toBe(200);
    await socket.waitFor(done(running), 'the interrupted prompt to end', 30_000);
    expect((await user.client.get(`/api/jobs/${running}`)).body.status).toBe('cancelled');

    const finished = await submit(user.client, { prompt: txt2imgGraph({ seed: 12 }), client_id: 'durable' });
    await socket.waitFor(done(finished), 'the last prompt', 60_000);
    socket.close();
    const before = (await user.client.get('/history')).body;
    expect(Object.keys(before)).toContain(finished);
    expect(Object.keys((await user.client.get('/history?max_items=1')).body)).toEqual([finished]);
    expect(Object.keys((await user.client.get('/history?max_items=1&offset=0')).body)).toEqual([Object.keys(before)[0]]);

    // A new API process: the history is the jobs table, so nothing is lost.
    const port = new URL(baseUrl).port;
    await api.stop();
    api = AppProcess.start('api', { ...environment.env({ WORKER_GPU_CONCURRENCY: '1' }), PORT: port });
    await api.waitUntil(async () => (await fetch(`${baseUrl}/health/live`)).ok);
    expect((await user.client.get('/history')).body).toEqual(before);
    const image = before[finished].outputs['9'].images[0].filename as string;
    expect((await user.client.bytes(`/view?filename=${image}`)).status).toBe(200);
  });
});
