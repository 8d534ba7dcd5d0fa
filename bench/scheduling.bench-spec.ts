import { randomBytes } from 'node:crypto';
import Bull from 'bull';
import { afterAll, expect, it } from 'vitest';
import { queueOf, type JobType } from '@atelier/jobs';
import { writeSection } from './support/results';
import { percentile, round } from './support/stats';

/**
 * The queueing policy of job classes on real Bull queues in Redis: 3 workers (each its own
 * Bull connection, one generation slot; with classes one more slot for light work), a stream
 * of generations that saturates every slot, light jobs arriving meanwhile. Work is simulated
 * by waiting (generation 400 ms, light 10 ms) so the figure is the queue's, not the CPU's.
 * Same stream, one run: one shared queue versus the light class in its own queue.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = 3;
const HEAVY = { count: 45, ms: 400 };
const LIGHT = { count: 40, everyMs: 100, ms: 10 };
const HEAVY_TYPE: JobType = 'txt2img';
const LIGHT_TYPE: JobType = 'detect-faces';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const opened: Bull.Queue[] = [];
afterAll(async () => {
  await Promise.all(opened.map((q) => q.close()));
});

async function runStream(classes: boolean): Promise<{ lightWaits: number[]; heavyDoneMs: number }> {
  const prefix = `atelier-bench-${randomBytes(4).toString('hex')}:bull`;
  const open = (name: string) => {
    const queue = new Bull<{ kind: 'light' | 'heavy'; ms: number }>(name, { redis: REDIS_URL, prefix });
    opened.push(queue);
    return queue;
  };
  const nameOf = (type: JobType) => (classes ? queueOf(type) : 'gpu');
  const producer = { heavy: open(nameOf(HEAVY_TYPE)), light: open(nameOf(LIGHT_TYPE)) };
  const work = async (job: Bull.Job<{ ms: number }>) => sleep(job.data.ms);
  for (let w = 0; w < WORKERS; w++) {
    void open('gpu').process(1, work);
    if (classes) void open('gpu-light').process(1, work);
  }
  const start = Date.now();
  const heavy = await Promise.all(Array.from({ length: HEAVY.count }, () => producer.heavy.add({ kind: 'heavy', ms: HEAVY.ms })));
  const light: Bull.Job[] = [];
  for (let i = 0; i < LIGHT.count; i++) {
    light.push(await producer.light.add({ kind: 'light', ms: LIGHT.ms }));
    await sleep(LIGHT.everyMs);
  }
  await Promise.all([...heavy, ...light].map((job) => job.finished()));
  const heavyDoneMs = Math.max(...(await Promise.all(heavy.map(async (j) => (await producer.heavy.getJob(j.id))!.finishedOn!)))) - start;
  const lightWaits = await Promise.all(light.map(async (j) => {
    const done = (await producer.light.getJob(j.id))!;
    return done.processedOn! - done.timestamp;
  }));
  return { lightWaits, heavyDoneMs };
}

it('light jobs wait less in their own class than behind generations in one queue', async () => {
  const shared = await runStream(false);
  const separate = await runStream(true);
  const p95 = (values: number[]) => percentile(values, 95);
  const row = (name: string, r: typeof shared) => `| ${name} | ${round(p95(r.lightWaits))} ms | ${round(percentile(r.lightWaits, 50))} ms | ${round(r.heavyDoneMs / 1000, 2)} s |`;
  const ratio = p95(shared.lightWaits) / Math.max(1, p95(separate.lightWaits));
  writeSection(
    'Scheduling: light jobs while generations saturate every worker',
    `
${WORKERS} workers on real Bull queues in Redis, one generation slot each (plus one light slot each with classes); ${HEAVY.count} generations (${HEAVY.ms} ms of simulated work each) queued at once, then ${LIGHT.count} light jobs (${LIGHT.ms} ms) one every ${LIGHT.everyMs} ms while the generations hold every slot. Queue wait = Bull's processedOn − timestamp. The queue a type goes to comes from the project's \`queueOf\`.

| queues | light p95 wait | light p50 wait | all generations done |
|---|---|---|---|
${row('one queue (before)', shared)}
${row('light class in its own queue', separate)}

Light p95 wait: ${round(ratio, 1)}× shorter with classes (target: under 1 s); the generations finish in the same time (the light slots are extra, not taken from them). Work is simulated, so this measures the queueing alone, not GPU contention between a generation and a detection on one device. Run: \`npm run bench:scheduling\`.
`,
  );
  expect(p95(separate.lightWaits)).toBeLessThan(p95(shared.lightWaits));
}, 120_000);
