import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from '../support/app-process';
import { HttpClient, registerUser } from '../support/http-client';
import { gradientPng } from '../support/images';
import { SocketRecorder } from '../support/socket-recorder';
import { TestEnvironment } from '../support/test-environment';
import { waitFor } from '../support/wait-for';

const MAX_CONNECTIONS = 8;
const MAX_MESSAGE_BYTES = 16 * 1024;
const FLOOD = 40;

/** Resolves with how a handshake ended: connected (the socket) or refused (its error message). */
function tryConnect(baseUrl: string, token: string): Promise<{ connected: true; close: () => void } | { connected: false; reason: string }> {
  const socket = io(`${baseUrl}/events`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true, close: () => socket.close() }));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ connected: false, reason: error.message });
    });
  });
}

/**
 * One user floods `/events` with connections and oversized messages: past the per-user cap
 * the handshakes are refused, an oversized message closes only the sender's connection, and
 * another user's job events keep arriving throughout.
 */
describe('chaos: a flood of Socket.IO connections and oversized messages from one user', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(
      environment.env({ SOCKET_MAX_CONNECTIONS_PER_USER: String(MAX_CONNECTIONS), SOCKET_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), LOG_LEVEL: 'warn' }),
    );
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('caps the flooder and keeps delivering the other user’s events', async () => {
    const flooder = await registerUser(http, 'flooder');
    const victim = await registerUser(http, 'victim');
    const imageId = (await victim.client.upload('/v1/images', await gradientPng())).body.id;
    const victimSocket = await SocketRecorder.connect(http.baseUrl, victim.token);
    const submitAndWait = async () => {
      const job = await victim.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 16 }, cache: false });
      expect(job.status).toBe(202);
      return victimSocket.waitFor(job.body.id, 'job.succeeded', 30_000);
    };

    // The flood: many handshakes at once, while the victim's job runs.
    const victimJob = submitAndWait();
    const attempts = await Promise.all(Array.from({ length: MAX_CONNECTIONS + FLOOD }, () => tryConnect(http.baseUrl, flooder.token)));
    const accepted = attempts.filter((a) => a.connected);
    const refused = attempts.filter((a): a is { connected: false; reason: string } => !a.connected);
    expect(accepted).toHaveLength(MAX_CONNECTIONS);
    expect(refused).toHaveLength(FLOOD);
    for (const refusal of refused) expect(refusal.reason).toMatch(/^TOO_MANY_CONNECTIONS/);
    expect((await victimJob).payload).toMatchObject({ outputs: expect.any(Array) });

    // An oversized message closes the sender's connection only.
    const sender = await SocketRecorder.connect(http.baseUrl, flooder.token).catch((error: Error) => error);
    expect(sender).toBeInstanceOf(Error); // still at the cap
    for (const a of accepted) if (a.connected) a.close();
    const big = await waitFor(() => SocketRecorder.connect(http.baseUrl, flooder.token).catch(() => undefined), {
      what: 'the flooder to connect again once its sockets closed',
    });
    const closed = new Promise<string>((resolve) => big.socket.once('disconnect', resolve));
    big.socket.emit('subscribe', { jobId: 'x'.repeat(MAX_MESSAGE_BYTES * 4) });
    expect(await closed).toMatch(/transport (close|error)/);
    expect(victimSocket.socket.connected).toBe(true);
    expect(await victimSocket.emitWithAck('subscribe', { jobId: 'not-a-job' })).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });

    // A message flood within the size limit: answered, and the victim's events still arrive.
    const small = await SocketRecorder.connect(http.baseUrl, flooder.token);
    const floodAcks = Promise.all(Array.from({ length: 300 }, () => small.emitWithAck<{ ok: boolean }>('subscribe', { jobId: '00000000-0000-4000-8000-000000000000' })));
    const afterFlood = await submitAndWait();
    expect(afterFlood.event).toBe('job.succeeded');
    expect((await floodAcks).every((ack) => ack.ok === false)).toBe(true);
    small.close();
    victimSocket.close();
    console.log(`socket flood: ${attempts.length} handshakes from one user, ${accepted.length} accepted (cap), ${refused.length} refused; oversized message closed its sender only; the other user's events all arrived`);
  });
});
