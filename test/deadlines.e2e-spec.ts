import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

/** Attempt time limits that stop the work: a timed-out attempt gives the GPU back before its retry starts. */
describe('deadlines that stop work', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(
      environment.env({ JOB_ATTEMPT_TIMEOUT_CAP_MS: '300', JOB_DEADLINE_CAP_MS: '2000', WORKER_GPU_CONCURRENCY: '1', MODEL_PRELOAD: 'tiny-sd' }),
    );
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  /** The worker's log lines about one job, in order, reduced to what happened. */
  const workerEvents = (jobId: string) =>
    worker.logs
      .split('\n')
      .filter((line) => line.includes(jobId))
      .flatMap((line) => (/"job started"|job started/.test(line) ? ['started'] : /attempt stopped at its time limit/.test(line) ? ['stopped'] : []));

  it('stops an attempt at its time limit, retries it only after it stopped, and fails the job at its overall deadline', async () => {
    const user = await registerUser(http, 'deadline');
    const socket = await SocketRecorder.connect(http.baseUrl, user.token);
    const long = await user.client.post('/v1/jobs', { type: 'txt2img', model: 'tiny-sd', input: { prompt: 'a long night', width: 512, height: 512, steps: 150, batch: 2 } });
    expect(long.status).toBe(202);
    const failed = await waitForJobStatus(user.client, long.body.id, ['succeeded', 'failed'], 60_000);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'JOB_TIMEOUT', message: 'The job ran past its overall deadline' } });
    expect(failed.attempts).toBeGreaterThanOrEqual(2);

    // Every attempt after the first started only once the one before it had stopped.
    const events = workerEvents(long.body.id);
    expect(events.slice(0, 3)).toEqual(['started', 'stopped', 'started']);
    for (let i = 1; i < events.length; i++) expect(events[i]).not.toBe(events[i - 1]);
    // It never ran to its end: the progress it reported stayed short of the 150 steps.
    const steps = socket.eventsOf(long.body.id).filter((e) => e.event === 'job.progress').map((e) => e.payload.step as number);
    expect(Math.max(0, ...steps)).toBeLessThan(150);

    // The worker's one GPU slot is free again: a short job runs.
    const short = await user.client.post('/v1/jobs', { type: 'txt2img', model: 'tiny-sd', input: { prompt: 'a short nap', width: 64, height: 64, steps: 2 } });
    expect(await waitForJobStatus(user.client, short.body.id, ['succeeded', 'failed'])).toMatchObject({ status: 'succeeded' });
    socket.close();
  });
});
