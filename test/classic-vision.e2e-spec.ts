import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { facePhoto } from './support/face-photo';
import { HttpClient, registerUser } from './support/http-client';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

type User = Awaited<ReturnType<typeof registerUser>>;

/** detect-corruption, assess-quality and stylize through the API and the worker, on a real photo; quality stored with generated images. */
describe('classical vision job types', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let user: User;
  let socket: SocketRecorder;
  let photo: Buffer;
  let photoId: string;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env());
    ({ api, worker } = system);
    user = await registerUser(new HttpClient(system.baseUrl), 'classic');
    socket = await SocketRecorder.connect(system.baseUrl, user.token);
    photo = await sharp((await facePhoto()).bytes).resize(480).jpeg({ quality: 90 }).toBuffer();
    photoId = (await user.client.upload('/v1/images', photo, 'photo.jpg', 'image/jpeg')).body.id;
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const run = async (body: object) => {
    const submit = await user.client.post('/v1/jobs', body);
    expect(submit.status, JSON.stringify(submit.body)).toBe(202);
    await socket.waitFor(submit.body.id, 'job.succeeded');
    return (await user.client.get(`/v1/jobs/${submit.body.id}`)).body;
  };

  it('tells a clean photo from the same photo cut short and saved again', async () => {
    const cut = photo.subarray(0, Math.floor(photo.length * 0.5));
    // A file cut short is refused at upload; its partial decode, saved again, is what reaches a job.
    expect(await user.client.upload('/v1/images', cut, 'cut.jpg', 'image/jpeg')).toMatchObject({ status: 422, body: { code: 'IMAGE_UNDECODABLE' } });
    const broken = await user.client.upload('/v1/images', await sharp(cut, { failOn: 'none' }).jpeg({ quality: 90 }).toBuffer(), 'broken.jpg', 'image/jpeg');
    const [clean, garbled] = await Promise.all([
      run({ type: 'detect-corruption', input: { imageId: photoId } }),
      run({ type: 'detect-corruption', input: { imageId: broken.body.id } }),
    ]);
    expect(clean).toMatchObject({ cost: 2, outputs: [{ kind: 'json', data: { corrupted: false, reasons: [] } }] });
    expect(garbled.outputs[0].data).toMatchObject({ corrupted: true, reasons: expect.arrayContaining(['grey-blocks', 'partial-fill']) });
    expect(garbled.outputs[0].data.scores.greyBlocks).toBeGreaterThan(0.2);
  });

  it('assesses quality, and scores a blurred copy lower', async () => {
    const blurred = await user.client.upload('/v1/images', await sharp(photo).blur(4).jpeg().toBuffer(), 'blurred.jpg', 'image/jpeg');
    const [sharpJob, blurJob] = await Promise.all([
      run({ type: 'assess-quality', input: { imageId: photoId } }),
      run({ type: 'assess-quality', input: { imageId: blurred.body.id } }),
    ]);
    const [a, b] = [sharpJob.outputs[0].data, blurJob.outputs[0].data];
    expect(a).toMatchObject({ score: expect.any(Number), exposure: expect.any(Number), noise: expect.any(Number), colorfulness: expect.any(Number) });
    expect(b.sharpness).toBeLessThan(a.sharpness / 2);
    expect(b.score).toBeLessThan(a.score);
  });

  it('stylizes as a job and as a workflow node', async () => {
    const job = await run({ type: 'stylize', input: { imageId: photoId, style: 'sketch' } });
    expect(job).toMatchObject({ cost: 1, input: { style: 'sketch' } });
    const { data, info } = await sharp((await user.client.bytes(job.outputs[0].url)).bytes).raw().toBuffer({ resolveWithObject: true });
    const { width, height } = await sharp(photo).metadata();
    expect([info.width, info.height]).toEqual([width, height]);
    for (let p = 0; p < data.length; p += info.channels * 97) expect(data[p] === data[p + 1] && data[p] === data[p + 2]).toBe(true);

    const graph = {
      1: { class_type: 'LoadImage', inputs: { image: `${photoId}.png` } },
      2: { class_type: 'AtelierStylize', inputs: { image: ['1', 0], style: 'posterize' } },
      3: { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'poster' } },
      4: { class_type: 'AtelierAssessQuality', inputs: { image: ['2', 0] } },
      5: { class_type: 'AtelierDetectCorruption', inputs: { image: ['1', 0] } },
    };
    const workflow = await run({ type: 'workflow', input: { graph } });
    expect(workflow.outputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ node: '3', width, height }),
        { kind: 'json', data: expect.objectContaining({ node: '4', nodeType: 'AtelierAssessQuality', quality: [expect.objectContaining({ score: expect.any(Number) })] }) },
        { kind: 'json', data: expect.objectContaining({ node: '5', nodeType: 'AtelierDetectCorruption', corruption: [expect.objectContaining({ corrupted: false })] }) },
      ]),
    );
  });

  it('stores the quality of generated images and averages it per template version beside the ratings', async () => {
    const template = await user.client.post('/v1/templates', { name: 'Fox', body: 'a {subject} in snow', visibility: 'private' });
    const job = await run({ type: 'txt2img', input: { templateId: template.body.id, subject: 'fox', width: 64, height: 64, steps: 2 } });
    const image = await user.client.get(`/v1/images/${job.outputs[0].imageId}`);
    expect(image.body.quality).toMatchObject({ score: expect.any(Number), sharpness: expect.any(Number), noise: expect.any(Number) });
    expect(image.body.quality.score).toBeGreaterThanOrEqual(0);
    expect(image.body.quality.score).toBeLessThanOrEqual(100);
    await user.client.post(`/v1/images/${image.body.id}/ratings`, { score: 4 });
    const stats = await user.client.get(`/v1/templates/${template.body.id}/stats`);
    expect(stats.body.versions).toEqual([
      { version: 1, jobs: 1, ratings: 1, averageScore: 4, scoreStdDev: null, qualityImages: 1, averageQuality: Math.round(image.body.quality.score * 10) / 10 },
    ]);
    // Uploads carry no quality.
    expect((await user.client.get(`/v1/images/${photoId}`)).body.quality).toBeUndefined();
  });
});
