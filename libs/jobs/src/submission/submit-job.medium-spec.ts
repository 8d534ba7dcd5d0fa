import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '@atelier/auth';
import { CreditLedger, PlansService } from '@atelier/billing';
import { DomainError } from '@atelier/platform';
import { InMemoryTemplates, startSubmissionContext } from '../../../../test/support/submission-context';
import type { TestEnvironment } from '../../../../test/support/test-environment';
import { attemptOutcome } from '../attempt-outcome';
import { JobLifecycle } from '../job-lifecycle';
import { JobsService } from '../jobs.service';
import { SubmitJob } from './submit-job';

const prompt = (text: string) => ({ type: 'txt2img', input: { prompt: text, width: 64, height: 64, steps: 2 } });

describe('SubmitJob (real Postgres, Redis and Bull)', () => {
  let app: INestApplicationContext;
  let environment: TestEnvironment;
  let close: () => Promise<void>;
  let submit: SubmitJob;
  let templates: InMemoryTemplates;
  let ledger: CreditLedger;
  let gpu: Queue;
  let userCount = 0;

  beforeAll(async () => {
    ({ app, environment, close } = await startSubmissionContext());
    submit = app.get(SubmitJob);
    templates = app.get(InMemoryTemplates);
    ledger = app.get(CreditLedger);
    gpu = app.get<Queue>(getQueueToken('gpu'));
    await app.get(PlansService).update('free', { ratePerMinute: 1000, maxConcurrentJobs: 2, monthlyCredits: 1000 });
  });
  afterAll(async () => close?.());

  const newUser = async () => (await app.get(AuthService).register(`user${++userCount}@example.com`, 'a long password')).user.id;
  const refusal = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('accepted'), (error: DomainError) => error);

  it('replays a templated job by its key although the template changed, and after it was deleted', async () => {
    const userId = await newUser();
    templates.publish('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'a watercolour of {subject}');
    const body = { type: 'txt2img', input: { templateId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', subject: 'a heron', width: 64, height: 64 } };
    const first = await submit.execute(userId, body, 'key-1');
    expect(first).toMatchObject({ replayed: false, job: { templateVersion: 1, input: { prompt: 'a watercolour of a heron' } } });
    templates.publish('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'an etching of {subject}');
    expect(await submit.execute(userId, body, 'key-1')).toMatchObject({ replayed: true, job: { id: first.job.id } });
    templates.delete('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    expect(await submit.execute(userId, body, 'key-1')).toMatchObject({ replayed: true, job: { id: first.job.id } });
    expect(await refusal(submit.execute(userId, body, 'key-2'))).toMatchObject({ code: 'TEMPLATE_NOT_FOUND' });
    expect(await refusal(submit.execute(userId, prompt('other'), 'key-1'))).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', kind: 'conflict' });
  });

  it("holds the plan's concurrency cap under parallel submits", async () => {
    const userId = await newUser();
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => submit.execute(userId, prompt(`cap ${i}`))));
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(2);
    expect(refused.map((r) => (r.reason as DomainError).code)).toEqual(Array(4).fill('CONCURRENCY_LIMIT'));
    expect(await ledger.balanceOf(userId)).toEqual({ balance: 1000, reserved: 2 });
    const [{ count }] = await environment.query<{ count: number }>(`SELECT count(*)::int AS count FROM jobs WHERE owner_id = $1`, [userId]);
    expect(count).toBe(2);
  });

  it('undoes everything when the queue refuses the job: no row, the reservation released, the key free again', async () => {
    const userId = await newUser();
    const redis = environment.redis();
    // Bull's addJob script starts with INCR on the queue's id key: a non-number there makes Redis refuse every add.
    await redis.set(`${environment.redisPrefix}bull:gpu:id`, 'refuse');
    try {
      expect(await refusal(submit.execute(userId, prompt('refused'), 'key-undo'))).toMatchObject({ code: 'QUEUE_UNAVAILABLE', kind: 'unavailable' });
    } finally {
      await redis.del(`${environment.redisPrefix}bull:gpu:id`);
      redis.disconnect();
    }
    expect(await environment.query(`SELECT id FROM jobs WHERE owner_id = $1`, [userId])).toEqual([]);
    expect(await ledger.balanceOf(userId)).toEqual({ balance: 1000, reserved: 0 });
    const entries = await environment.query<{ kind: string }>(`SELECT kind FROM ledger_entries WHERE user_id = $1 AND job_id IS NOT NULL`, [userId]);
    expect(entries.map((e) => e.kind).sort()).toEqual(['release', 'reserve']);
    expect(await submit.execute(userId, prompt('refused'), 'key-undo')).toMatchObject({ replayed: false, job: { status: 'queued' } });
  });

  it('cancels a queued job: off the queue, credits released once, a second cancel is a conflict', async () => {
    const userId = await newUser();
    const { job } = await submit.execute(userId, prompt('to cancel'));
    expect(await gpu.getJob(job.id)).not.toBeNull();
    expect(await app.get(JobsService).cancel(userId, job.id)).toMatchObject({ status: 'canceled' });
    expect(await gpu.getJob(job.id)).toBeNull();
    expect(await ledger.balanceOf(userId)).toEqual({ balance: 1000, reserved: 0 });
    expect(await refusal(app.get(JobsService).cancel(userId, job.id))).toMatchObject({ code: 'JOB_FINISHED', kind: 'conflict' });
    expect(await refusal(app.get(JobsService).cancel(await newUser(), job.id))).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it("decides a failed attempt as the worker does: retry what may pass, fail and release what cannot", async () => {
    const userId = await newUser();
    const lifecycle = app.get(JobLifecycle);
    const { job } = await submit.execute(userId, prompt('fails'));
    await lifecycle.start(job.id);
    const transient = attemptOutcome(new DomainError('unavailable', 'STORAGE_UNAVAILABLE', 'store down'), { made: 0, max: 3 });
    expect(transient).toEqual({ kind: 'retry' });
    expect((await environment.query<{ status: string }>(`SELECT status FROM jobs WHERE id = $1`, [job.id]))[0].status).toBe('running');
    const permanent = attemptOutcome(new DomainError('invalid', 'IMAGE_UNDECODABLE', 'not an image'), { made: 1, max: 3 });
    if (permanent.kind !== 'fail') throw new Error('expected a failure');
    expect(await lifecycle.fail(job, permanent)).toBe(true);
    expect(await lifecycle.fail(job, permanent)).toBe(false); // released once
    expect((await environment.query<{ status: string; error: { code: string } }>(`SELECT status, error FROM jobs WHERE id = $1`, [job.id]))[0]).toMatchObject({
      status: 'failed',
      error: { code: 'IMAGE_UNDECODABLE' },
    });
    expect(await ledger.balanceOf(userId)).toEqual({ balance: 1000, reserved: 0 });
  });

  it('checks the whole request before writing: bad body 422, unknown model 422, image not yours 422', async () => {
    const userId = await newUser();
    expect(await refusal(submit.execute(userId, { type: 'txt2img', input: { prompt: 'x', width: 7 } }))).toMatchObject({ code: 'INVALID_JOB' });
    expect(await refusal(submit.execute(userId, { ...prompt('x'), model: 'nope' }))).toMatchObject({ code: 'UNKNOWN_MODEL' });
    const img2img = { type: 'img2img', input: { prompt: 'x', imageId: '0190a0b0-0000-7000-8000-000000000000' } };
    expect(await refusal(submit.execute(userId, img2img))).toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    expect(await environment.query(`SELECT id FROM jobs WHERE owner_id = $1`, [userId])).toEqual([]);
  });
});
