import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { facePhoto } from './support/face-photo';
import { HttpClient, registerUser } from './support/http-client';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

type User = Awaited<ReturnType<typeof registerUser>>;

describe('job types described by the server, and smart-crop', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let user: User;
  let socket: SocketRecorder;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env());
    ({ api, worker } = system);
    user = await registerUser(new HttpClient(system.baseUrl), 'cropper');
    socket = await SocketRecorder.connect(system.baseUrl, user.token);
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const run = async (body: object) => {
    const submit = await user.client.post('/v1/jobs', body);
    expect(submit.status).toBe(202);
    await socket.waitFor(submit.body.id, 'job.succeeded');
    return (await user.client.get(`/v1/jobs/${submit.body.id}`)).body;
  };

  it('lists every type with the JSON Schema it validates with, its lane, outputs and cost', async () => {
    const types = await user.client.get('/v1/job-types');
    expect(types.status).toBe(200);
    const byType = Object.fromEntries(types.body.map((t: { type: string }) => [t.type, t]));
    expect(Object.keys(byType)).toEqual(expect.arrayContaining(['txt2img', 'img2img', 'upscale', 'ocr', 'detect-faces', 'detect-lines', 'resize', 'crop', 'filter', 'smart-crop']));
    expect(byType.txt2img).toMatchObject({
      lane: 'gpu',
      needsImage: false,
      usesModel: true,
      cost: { base: 1, perMegapixelStep: 2 },
      inputSchema: { type: 'object', additionalProperties: false, properties: { width: { minimum: 64, maximum: 2048, multipleOf: 8, default: 512 } } },
    });
    expect(byType.resize).toMatchObject({ lane: 'cpu', needsImage: true, cost: { base: 1 } });
    expect(Object.values(byType).filter((t: { jobClass: string }) => t.jobClass === 'light').map((t: { type: string }) => t.type).sort()).toEqual(['detect-faces', 'detect-lines', 'ocr', 'smart-crop']);
    expect(byType.txt2img.jobClass).toBe('heavy');
    // The schema it publishes is the one it enforces: a value just outside it is refused.
    const max = byType.txt2img.inputSchema.properties.steps.maximum;
    const over = await user.client.post('/v1/jobs', { type: 'txt2img', input: { prompt: 'x', steps: max + 1 } });
    expect(over).toMatchObject({ status: 422, body: { code: 'INVALID_JOB', details: { fields: [{ path: 'steps' }] } } });
    // The OpenAPI document carries the same input schema.
    const openapi = await user.client.get('/docs-json');
    expect(openapi.body.components.schemas.SmartCropInput).toEqual(byType['smart-crop'].inputSchema);
    expect((await new HttpClient(user.client.baseUrl).get('/v1/job-types')).status).toBe(401);
  });

  it('smart-crops around the face in a real photo and echoes the accepted input', async () => {
    const photo = await facePhoto();
    const uploaded = await user.client.upload('/v1/images', photo.bytes, 'photo.jpg', 'image/jpeg');
    const faces = (await run({ type: 'detect-faces', input: { imageId: uploaded.body.id } })).outputs[0].data.faces as Array<{ box: { x: number; y: number; width: number; height: number } }>;
    expect(faces.length).toBeGreaterThanOrEqual(photo.minFaces);

    const job = await run({ type: 'smart-crop', input: { imageId: uploaded.body.id, width: 96, height: 128 } });
    expect(job.input).toEqual({ imageId: uploaded.body.id, width: 96, height: 128 });
    expect(job.cost).toBe(2);
    const [image, report] = job.outputs;
    expect(image).toMatchObject({ width: 96, height: 128 });
    expect(report.data).toMatchObject({ strategy: 'faces', faces: faces.length });
    // The largest face found lies whole inside the region that was cut.
    const { region } = report.data as { region: { left: number; top: number; width: number; height: number } };
    expect(region.width / region.height).toBeCloseTo(96 / 128, 2);
    const { box } = faces.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a));
    expect(box.x).toBeGreaterThanOrEqual(region.left);
    expect(box.y).toBeGreaterThanOrEqual(region.top);
    expect(box.x + box.width).toBeLessThanOrEqual(region.left + region.width);
    expect(box.y + box.height).toBeLessThanOrEqual(region.top + region.height);
    const bytes = (await user.client.bytes(image.url)).bytes;
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 96, height: 128 });
  });

  it('falls back to the salient region when there is no face', async () => {
    // A dark canvas with one bright, saturated square at the right: attention must find it.
    const canvas = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#101010' } })
      .composite([{ input: await sharp({ create: { width: 60, height: 60, channels: 3, background: '#ff2a00' } }).png().toBuffer(), left: 320, top: 70 }])
      .png()
      .toBuffer();
    const uploaded = await user.client.upload('/v1/images', canvas);
    const job = await run({ type: 'smart-crop', input: { imageId: uploaded.body.id, width: 100, height: 100 } });
    const { strategy, region } = job.outputs[1].data as { strategy: string; region: { left: number; width: number } };
    expect(strategy).toBe('attention');
    expect(region.width).toBe(200);
    expect(region.left).toBeGreaterThanOrEqual(180); // the square (x 320..380) is inside the crop
    expect(region.left + region.width).toBeGreaterThanOrEqual(380);
  });
});
