import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtelierClient, AtelierError, type ProgressEvent } from '../client/src';
import { type AppProcess, startSystem } from './support/app-process';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

describe('the typed client against a running API and worker', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let baseUrl: string;

  beforeAll(async () => {
    await environment.create();
    ({ api, worker, baseUrl } = await startSystem(environment.env()));
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('submits, waits with progress over Socket.IO, and downloads the result', async () => {
    const client = await AtelierClient.register(baseUrl, 'client@example.test', 'a long enough password');
    const image = await client.uploadImage(await gradientPng(64, 64));
    // Listen before submitting: a fast job can finish before a late socket connects.
    await client.connect();
    const job = await client.submit({ type: 'filter', input: { imageId: image.id, filter: 'grayscale' } });
    expect(job.status).toBe('queued');
    const progress: ProgressEvent[] = [];
    const done = await client.waitForJob(job.id, (event) => progress.push(event), 60_000);
    expect(done.status).toBe('succeeded');
    expect(progress.length).toBeGreaterThan(0);
    const output = done.outputs[0] as { url: string; width: number };
    const bytes = await client.download(output.url);
    const { data, info } = await sharp(Buffer.from(bytes)).raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(64);
    expect(info.channels < 3 || data[30] === data[31]).toBe(true);
    client.close();
  });

  it('raises typed errors with the API error code', async () => {
    const client = await AtelierClient.register(baseUrl, 'client2@example.test', 'a long enough password');
    const error = await client.submit({ type: 'resize', input: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect(error).toMatchObject({ status: 422, code: 'INVALID_JOB' });
    await expect(AtelierClient.login(baseUrl, 'client2@example.test', 'wrong password!')).rejects.toMatchObject({ status: 401 });
  });
});
