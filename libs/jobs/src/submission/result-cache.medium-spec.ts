import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '@atelier/auth';
import { CreditLedger, PlansService } from '@atelier/billing';
import { ImagesService } from '@atelier/storage';
import { gradientPng } from '../../../../test/support/images';
import { startSubmissionContext } from '../../../../test/support/submission-context';
import { JobLifecycle } from '../job-lifecycle';
import type { JobEntity } from '../job.entity';
import { SubmitJob } from './submit-job';

describe('the result cache (real Postgres, Redis and Bull)', () => {
  let app: INestApplicationContext;
  let close: () => Promise<void>;
  let submit: SubmitJob;
  let ledger: CreditLedger;
  let images: ImagesService;
  let gpu: Queue;
  let userCount = 0;

  beforeAll(async () => {
    process.env.RESULT_CACHE_COST = '1';
    ({ app, close } = await startSubmissionContext());
    submit = app.get(SubmitJob);
    ledger = app.get(CreditLedger);
    images = app.get(ImagesService);
    gpu = app.get<Queue>(getQueueToken('gpu'));
    await app.get(PlansService).update('free', { ratePerMinute: 1000, maxConcurrentJobs: 10, monthlyCredits: 1000 });
  });
  afterAll(async () => {
    delete process.env.RESULT_CACHE_COST;
    await close?.();
  });

  const newUser = async () => (await app.get(AuthService).register(`cache${++userCount}@example.com`, 'a long password')).user.id;

  /** What a worker does for a job: start it and succeed with these outputs (an image it saved, and data). */
  const runToSuccess = async (job: JobEntity) => {
    const lifecycle = app.get(JobLifecycle);
    await lifecycle.start(job.id);
    const output = await images.saveJobOutput(job, await gradientPng(16, 16));
    const outputs = [
      { imageId: output.id, url: '', width: output.width, height: output.height },
      { kind: 'json' as const, data: { faces: [{ score: 0.9 }], ran: job.id } },
    ];
    expect(await lifecycle.succeed(job, outputs)).toBe(true);
    return outputs;
  };

  it('answers an identical deterministic job with the earlier outputs at once, charged RESULT_CACHE_COST, queueing nothing', async () => {
    const userId = await newUser();
    const imageId = (await images.upload(userId, await gradientPng(), null)).id;
    const body = { type: 'detect-faces', input: { imageId } };
    const first = await submit.execute(userId, body);
    expect(first.job).toMatchObject({ status: 'queued', cached: false, cost: 2 });
    const outputs = await runToSuccess(first.job);
    const before = await ledger.balanceOf(userId);

    const again = await submit.execute(userId, body);
    expect(again.job.id).not.toBe(first.job.id);
    expect(again.job).toMatchObject({ status: 'succeeded', cached: true, cost: 1, cacheKey: first.job.cacheKey });
    expect(again.job.outputs).toEqual(outputs);
    expect(await gpu.getJob(again.job.id)).toBeNull();
    expect(await ledger.balanceOf(userId)).toEqual({ balance: before.balance - 1, reserved: 0 });

    // The same bytes uploaded again are the same work.
    const sameBytes = (await images.upload(userId, await gradientPng(), null)).id;
    expect(sameBytes).not.toBe(imageId);
    expect((await submit.execute(userId, { type: 'detect-faces', input: { imageId: sameBytes } })).job).toMatchObject({ cached: true });
    // Other content is other work.
    const other = (await images.upload(userId, await gradientPng(40, 40), null)).id;
    expect((await submit.execute(userId, { type: 'detect-faces', input: { imageId: other } })).job).toMatchObject({ status: 'queued', cached: false });
  });

  it('computes again with cache: false, for another user, and when an output image was deleted', async () => {
    const userId = await newUser();
    const imageId = (await images.upload(userId, await gradientPng(), null)).id;
    const body = { type: 'ocr', input: { imageId } };
    const first = await submit.execute(userId, body);
    const outputs = await runToSuccess(first.job);

    expect((await submit.execute(userId, { ...body, cache: false })).job).toMatchObject({ status: 'queued', cached: false });

    const stranger = await newUser();
    const theirImage = (await images.upload(stranger, await gradientPng(), null)).id;
    expect((await submit.execute(stranger, { type: 'ocr', input: { imageId: theirImage } })).job).toMatchObject({ status: 'queued', cached: false });

    const [image] = outputs;
    await images.softDelete(userId, (image as { imageId: string }).imageId);
    // The cache: false job above is still queued, so the only succeeded candidate lost its image.
    expect((await submit.execute(userId, body)).job).toMatchObject({ status: 'queued', cached: false });
  });

  it('caches a generation only when it names its seed, keyed on all of its input', async () => {
    const userId = await newUser();
    const seeded = (seed: number, prompt = 'a heron') => ({ type: 'txt2img', input: { prompt, width: 64, height: 64, steps: 2, seed } });
    const unseeded = { type: 'txt2img', input: { prompt: 'a heron', width: 64, height: 64, steps: 2 } };

    const noSeed = await submit.execute(userId, unseeded);
    expect(noSeed.job.cacheKey).toBeNull();
    await runToSuccess(noSeed.job);
    expect((await submit.execute(userId, unseeded)).job).toMatchObject({ status: 'queued', cached: false });

    const first = await submit.execute(userId, seeded(7));
    expect(first.job.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    await runToSuccess(first.job);
    expect((await submit.execute(userId, seeded(7))).job).toMatchObject({ status: 'succeeded', cached: true });
    expect((await submit.execute(userId, seeded(8))).job).toMatchObject({ status: 'queued', cached: false });
    expect((await submit.execute(userId, seeded(7, 'a crane'))).job).toMatchObject({ status: 'queued', cached: false });
    expect((await submit.execute(userId, { ...seeded(7), model: 'tiny-sd' })).job).toMatchObject({ status: 'queued', cached: false });
  });

  it('replays a cached answer by its Idempotency-Key', async () => {
    const userId = await newUser();
    const imageId = (await images.upload(userId, await gradientPng(), null)).id;
    const body = { type: 'detect-lines', input: { imageId } };
    await runToSuccess((await submit.execute(userId, body)).job);
    const cached = await submit.execute(userId, body, 'cached-key');
    expect(cached.job).toMatchObject({ cached: true });
    expect(await submit.execute(userId, body, 'cached-key')).toMatchObject({ replayed: true, job: { id: cached.job.id } });
  });
});
