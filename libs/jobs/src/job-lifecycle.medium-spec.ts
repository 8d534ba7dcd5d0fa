import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditLedger } from '@atelier/billing';
import { type AppConfig, RedisConnections } from '@atelier/platform';
import { SignedImageUrls } from '@atelier/storage';
import { createTestDatabase } from '../../../test/support/test-database';
import { JobEventsPublisher } from './events/job-events.publisher';
import { JobLifecycle } from './job-lifecycle';
import { JobEntity } from './job.entity';
import { JobsRepository } from './jobs.repository';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher';

describe('JobLifecycle state machine (real Postgres and Redis)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let jobs: JobsRepository;
  let lifecycle: JobLifecycle;
  let redis: RedisConnections;
  let events: JobEventsPublisher;
  let ledger: CreditLedger;
  const ownerId = '00000000-0000-4000-8000-000000000001';

  beforeAll(async () => {
    db = await createTestDatabase([JobEntity]);
    jobs = new JobsRepository(db.dataSource.getRepository(JobEntity));
    const config = { redisUrl: db.environment.redisUrl, redisPrefix: db.environment.redisPrefix } as AppConfig;
    redis = new RedisConnections(config);
    events = new JobEventsPublisher(redis);
    ledger = new CreditLedger(db.dataSource);
    const noWebhooks = { schedule: async () => undefined } as unknown as WebhookDispatcher; // these jobs have no webhookUrl
    const urls = new SignedImageUrls({ jwtSecret: 's'.repeat(32), signedUrlTtlSeconds: 60 } as AppConfig);
    lifecycle = new JobLifecycle(jobs, events, ledger, noWebhooks, urls, db.dataSource);
  });
  afterAll(async () => {
    await redis.onApplicationShutdown();
    await db.destroy();
  });

  const newJob = () => jobs.insert({ ownerId, type: 'resize', lane: 'cpu', status: 'queued', input: { imageId: 'x' }, cost: 1 });

  it('moves queued → running → succeeded and counts attempts', async () => {
    const job = await newJob();
    const running = await lifecycle.start(job.id);
    expect(running).toMatchObject({ status: 'running', attempts: 1 });
    expect(running?.startedAt).toBeInstanceOf(Date);
    await lifecycle.progress(job, 1, 4);
    expect((await jobs.findById(job.id))?.progress).toEqual({ step: 1, totalSteps: 4, percent: 25 });
    expect(await lifecycle.succeed(job, [{ kind: 'json', data: { ok: true } }], 4)).toBe(true);
    const done = await jobs.findById(job.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: { step: 4, totalSteps: 4, percent: 100 }, outputs: [{ kind: 'json', data: { ok: true } }] });
  });

  it('never moves a finished job: duplicate deliveries and late results are ignored', async () => {
    const job = await newJob();
    await lifecycle.start(job.id);
    await lifecycle.succeed(job, [], 1);
    expect(await lifecycle.start(job.id)).toBeNull();
    expect(await lifecycle.succeed(job, [], 1)).toBe(false);
    expect(await lifecycle.fail(job, { code: 'LATE', message: 'late failure' })).toBe(false);
    expect((await jobs.findById(job.id))?.status).toBe('succeeded');
  });

  it('keeps a canceled job canceled when the worker finishes it afterwards', async () => {
    const job = await newJob();
    await lifecycle.start(job.id);
    await jobs.transition(job.id, ['queued', 'running'], { status: 'canceled', finishedAt: new Date() });
    expect(await lifecycle.isCanceled(job.id)).toBe(true);
    expect(await lifecycle.succeed(job, [], 1)).toBe(false);
    expect((await jobs.findById(job.id))?.status).toBe('canceled');
  });

  it('re-runs a job whose worker died mid-run (running again, attempt 2)', async () => {
    const job = await newJob();
    await lifecycle.start(job.id);
    const again = await lifecycle.start(job.id);
    expect(again).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('lets only one of two racing finishers win', async () => {
    const job = await newJob();
    await lifecycle.start(job.id);
    const outcomes = await Promise.all([lifecycle.succeed(job, [], 1), lifecycle.fail(job, { code: 'X', message: 'x' })]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('captures a succeeded job once and releases a failed one, whatever is replayed', async () => {
    await ledger.grant(ownerId, 10, 'test credits');
    const reserve = (jobId: string) => db.dataSource.transaction((em) => ledger.reserve(em, ownerId, jobId, 3));
    const ok = await newJob();
    const bad = await newJob();
    await reserve(ok.id);
    await reserve(bad.id);
    expect(await ledger.balanceOf(ownerId)).toEqual({ balance: 10, reserved: 6 });

    await lifecycle.start(ok.id);
    await lifecycle.succeed(ok, [], 1);
    await lifecycle.succeed(ok, [], 1); // a duplicate completion
    await lifecycle.start(bad.id);
    await lifecycle.fail(bad, { code: 'BROKEN', message: 'broken' });
    await lifecycle.fail(bad, { code: 'BROKEN', message: 'broken again' });

    expect(await ledger.balanceOf(ownerId)).toEqual({ balance: 7, reserved: 0 });
    const kinds = await db.environment.query<{ job_id: string; kind: string }>(
      `SELECT job_id, kind FROM ledger_entries WHERE job_id IN ($1, $2) ORDER BY created_at`, [ok.id, bad.id]);
    expect(kinds.filter((k) => k.job_id === ok.id).map((k) => k.kind)).toEqual(['reserve', 'capture']);
    expect(kinds.filter((k) => k.job_id === bad.id).map((k) => k.kind)).toEqual(['reserve', 'release']);
  });
});
