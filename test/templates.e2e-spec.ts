import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';
import { assignVersion } from '../apps/api/src/templates/traffic-split';

const ADMIN = { email: 'admin@example.test', password: 'admin password 123' };

type User = Awaited<ReturnType<typeof registerUser>>;

describe('templates, prompt rendering, ratings and A/B statistics', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let alice: User;
  let bob: User;
  let admin: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ PROMPT_BLOCKLIST: 'forbiddenword,gore', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
    alice = await registerUser(http, 'alice');
    bob = await registerUser(http, 'bob');
    admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const template = (overrides: Record<string, unknown> = {}) => ({
    name: 'Oil portrait',
    body: 'an oil painting of {subject}, {style}',
    negativeBody: 'blurry, {style} artefacts',
    defaults: { style: 'baroque' },
    tags: ['portrait', 'oil'],
    visibility: 'private',
    ...overrides,
  });

  it('keeps immutable versions: PUT makes n+1, old versions stay readable, reads are never stale', async () => {
    const created = await alice.client.post('/v1/templates', template());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, name: 'Oil portrait' });
    const id = created.body.id;
    expect((await alice.client.get(`/v1/templates/${id}`)).body.version).toBe(1); // now cached
    const updated = await alice.client.put(`/v1/templates/${id}`, template({ body: 'a watercolour of {subject}' }));
    expect(updated.body).toMatchObject({ version: 2, body: 'a watercolour of {subject}' });
    expect((await alice.client.get(`/v1/templates/${id}`)).body.version).toBe(2);
    expect((await alice.client.get(`/v1/templates/${id}/versions`)).body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await alice.client.get(`/v1/templates/${id}/versions/1`)).body.body).toBe('an oil painting of {subject}, {style}');
    expect((await alice.client.get(`/v1/templates/${id}/versions/9`)).status).toBe(404);
  });

  it('hides private templates from others (404) and lets only the owner write public ones', async () => {
    const secret = (await alice.client.post('/v1/templates', template())).body.id;
    const shared = (await alice.client.post('/v1/templates', template({ name: 'Shared', visibility: 'public' }))).body.id;
    expect((await bob.client.get(`/v1/templates/${secret}`)).status).toBe(404);
    expect((await bob.client.get(`/v1/templates/${shared}`)).status).toBe(200);
    expect((await bob.client.put(`/v1/templates/${shared}`, template())).status).toBe(404);
    expect((await bob.client.delete(`/v1/templates/${shared}`)).status).toBe(404);
    expect((await alice.client.delete(`/v1/templates/${shared}`)).status).toBe(204);
    expect((await bob.client.get(`/v1/templates/${shared}`)).status).toBe(404);
  });

  it('searches own and public templates by text, ranked, and by tag', async () => {
    const carol = await registerUser(http, 'carol');
    await carol.client.post('/v1/templates', template({ name: 'Neon city', body: 'a neon city street at night with {subject}', tags: ['city'], visibility: 'public' }));
    await carol.client.post('/v1/templates', template({ name: 'City and neon neon', body: 'neon neon neon {subject}', tags: ['neon'] }));
    await bob.client.post('/v1/templates', template({ name: 'Forest', body: 'a misty forest with {subject}', tags: ['nature'] }));
    const neon = await carol.client.get('/v1/templates?q=neon');
    expect(neon.body.items.map((t: { name: string }) => t.name)).toEqual(['City and neon neon', 'Neon city']);
    const bobSees = await bob.client.get('/v1/templates?q=neon');
    expect(bobSees.body.items.map((t: { name: string }) => t.name)).toEqual(['Neon city']); // carol's private one is hidden
    expect((await bob.client.get('/v1/templates?tag=nature')).body.items.map((t: { name: string }) => t.name)).toEqual(['Forest']);
  });

  it('renders prompts: defaults, braces in the subject left alone, unicode, missing variables, long prompts, blocked words', async () => {
    const id = (await alice.client.post('/v1/templates', template())).body.id;
    const rendered = await alice.client.post('/v1/prompts/render', { templateId: id, subject: 'a cat named {style} 🐈 Zoë' });
    expect(rendered.status).toBe(200);
    expect(rendered.body).toEqual({
      prompt: 'an oil painting of a cat named {style} 🐈 Zoë, baroque',
      negativePrompt: 'blurry, baroque artefacts',
      templateId: id,
      version: 1,
      warnings: [],
    });
    const bare = (await alice.client.post('/v1/templates', template({ defaults: {} }))).body.id;
    const missing = await alice.client.post('/v1/prompts/render', { templateId: bare, subject: 'x' });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: 'MISSING_VARIABLES', details: { missing: ['style'] } });
    const long = await alice.client.post('/v1/prompts/render', { templateId: id, subject: 'word '.repeat(120) });
    expect(long.body.warnings[0]).toMatch(/tokens/);
    const blocked = await alice.client.post('/v1/prompts/render', { templateId: id, subject: 'some Gore here' });
    expect(blocked.status).toBe(422);
    expect(blocked.body.code).toBe('BLOCKED_WORDS');
  });

  it('keeps one rating per user per image and shows count and average', async () => {
    const image = (await alice.client.upload('/v1/images', await gradientPng())).body.id;
    expect((await alice.client.post(`/v1/images/${image}/ratings`, { score: 4, feedback: 'nice' })).status).toBe(201);
    expect((await alice.client.post(`/v1/images/${image}/ratings`, { score: 2 })).status).toBe(201);
    expect((await alice.client.get(`/v1/images/${image}`)).body.ratings).toEqual({ count: 1, average: 2 });
    expect((await bob.client.post(`/v1/images/${image}/ratings`, { score: 5 })).status).toBe(404);
    expect((await alice.client.post(`/v1/images/${image}/ratings`, { score: 6 })).status).toBe(400);
  });

  it('replays a templated job by its Idempotency-Key after the template changed or was deleted', async () => {
    const id = (await alice.client.post('/v1/templates', template())).body.id;
    const body = { type: 'txt2img', input: { templateId: id, subject: 'a heron', width: 64, height: 64, steps: 2 } };
    const key = { 'idempotency-key': `templated-${id}` };
    const first = await alice.client.post('/v1/jobs', body, key);
    expect(first.status).toBe(202);
    expect(first.body.input).toMatchObject({ prompt: 'an oil painting of a heron, baroque', negativePrompt: 'blurry, baroque artefacts' });
    await alice.client.put(`/v1/templates/${id}`, template({ body: 'a new version of {subject}' }));
    const afterNewVersion = await alice.client.post('/v1/jobs', body, key);
    expect(afterNewVersion).toMatchObject({ status: 200, body: { id: first.body.id } });
    expect(afterNewVersion.body.input.prompt).toBe('an oil painting of a heron, baroque');
    expect((await alice.client.delete(`/v1/templates/${id}`)).status).toBe(204);
    expect(await alice.client.post('/v1/jobs', body, key)).toMatchObject({ status: 200, body: { id: first.body.id } });
    // Without the key the deleted template is a 404, and nothing was made.
    expect(await alice.client.post('/v1/jobs', body)).toMatchObject({ status: 404, body: { code: 'TEMPLATE_NOT_FOUND' } });
  });

  it('checks a typed prompt against the blocklist as it checks a rendered one', async () => {
    const typed = await alice.client.post('/v1/jobs', { type: 'txt2img', input: { prompt: 'a scene full of GORE', width: 64, height: 64 } });
    expect(typed).toMatchObject({ status: 422, body: { code: 'BLOCKED_WORDS', details: { field: 'prompt', words: ['gore'] } } });
    const negative = await alice.client.post('/v1/jobs', { type: 'txt2img', input: { prompt: 'a meadow', negativePrompt: 'forbiddenword', width: 64, height: 64 } });
    expect(negative).toMatchObject({ status: 422, body: { code: 'BLOCKED_WORDS', details: { field: 'negativePrompt' } } });
    const id = (await alice.client.post('/v1/templates', template())).body.id;
    const rendered = await alice.client.post('/v1/jobs', { type: 'txt2img', input: { templateId: id, subject: 'gore' } });
    expect(rendered).toMatchObject({ status: 422, body: { code: 'BLOCKED_WORDS' } });
  });

  it('accepts templateId + subject on POST /v1/jobs and counts the job for that version in the stats', async () => {
    const id = (await alice.client.post('/v1/templates', template())).body.id;
    await alice.client.put(`/v1/templates/${id}`, template({ body: 'v2 of {subject}' }));
    const job = await alice.client.post('/v1/jobs', { type: 'txt2img', input: { templateId: id, subject: 'a fox', width: 256, height: 256 } });
    expect(job.status).toBe(202);
    const [row] = await environment.query<{ template_id: string; template_version: number; input: { prompt: string } }>(
      'SELECT template_id, template_version, input FROM jobs WHERE id = $1', [job.body.id]);
    expect(row).toMatchObject({ template_id: id, template_version: 2, input: { prompt: 'v2 of a fox' } });
    const stats = await alice.client.get(`/v1/templates/${id}/stats`);
    expect(stats.body.versions).toEqual([
      { version: 1, jobs: 0, ratings: 0, averageScore: null, scoreStdDev: null, qualityImages: 0, averageQuality: null },
      { version: 2, jobs: 1, ratings: 0, averageScore: null, scoreStdDev: null, qualityImages: 0, averageQuality: null },
    ]);
  });

  it('splits unpinned renders and jobs over the versions by a stable hash of the user; a pinned version wins', async () => {
    const id = (await alice.client.post('/v1/templates', template({ visibility: 'public' }))).body.id;
    for (const n of [2, 3]) await alice.client.put(`/v1/templates/${id}`, template({ visibility: 'public', body: `v${n} of {subject}` }));
    expect(await alice.client.put(`/v1/templates/${id}/split`, { split: { '4': 50 } })).toMatchObject({ status: 422, body: { code: 'INVALID_SPLIT' } });
    expect((await bob.client.put(`/v1/templates/${id}/split`, { split: { '2': 50 } })).status).toBe(404);
    const set = await alice.client.put(`/v1/templates/${id}/split`, { split: { '3': 50, '2': 50 } });
    expect(set).toMatchObject({ status: 200, body: { version: 3, split: { '2': 50, '3': 50 } } });

    const users = [alice, bob, ...(await Promise.all([1, 2, 3, 4].map((i) => registerUser(http, `split${i}`))))];
    const assigned: number[] = [];
    for (const user of users) {
      const expected = assignVersion({ '2': 50, '3': 50 }, id, user.userId);
      for (let i = 0; i < 2; i++) {
        const rendered = await user.client.post('/v1/prompts/render', { templateId: id, subject: 'a fox' });
        expect(rendered.body).toMatchObject({ version: expected, prompt: `v${expected} of a fox` });
      }
      assigned.push(expected);
    }
    expect(assigned.every((v) => v === 2 || v === 3)).toBe(true);
    // A job takes the user's assigned version unless it pins one.
    const unpinned = await bob.client.post('/v1/jobs', { type: 'txt2img', input: { templateId: id, subject: 'a heron', width: 64, height: 64, steps: 2 } });
    const pinned = await bob.client.post('/v1/jobs', { type: 'txt2img', input: { templateId: id, templateVersion: 1, subject: 'a heron', width: 64, height: 64, steps: 2 } });
    const versions = await environment.query<{ id: string; template_version: number }>('SELECT id, template_version FROM jobs WHERE id = ANY($1)', [[unpinned.body.id, pinned.body.id]]);
    expect(new Map(versions.map((r) => [r.id, r.template_version]))).toEqual(new Map([[unpinned.body.id, assigned[1]], [pinned.body.id, 1]]));
    expect((await alice.client.get(`/v1/templates/${id}/stats`)).body.split).toEqual({ '2': 50, '3': 50 });
    const cleared = await alice.client.put(`/v1/templates/${id}/split`, { split: null });
    expect(cleared.body.split).toBeNull();
    expect((await bob.client.post('/v1/prompts/render', { templateId: id, subject: 'a fox' })).body.version).toBe(3);
  });

  it('lets the author read their ratings with feedback, and an admin the feedback on one template version', async () => {
    const id = (await alice.client.post('/v1/templates', template())).body.id;
    const job = await alice.client.post('/v1/jobs', { type: 'txt2img', input: { templateId: id, subject: 'a wren', width: 64, height: 64, steps: 2 } });
    expect(job.status).toBe(202);
    const done = await waitForJobStatus(alice.client, job.body.id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    const imageId: string = done.outputs[0].imageId;
    expect((await alice.client.post(`/v1/images/${imageId}/ratings`, { score: 5, feedback: 'lovely wren' })).status).toBe(201);

    const mine = await alice.client.get('/v1/ratings?limit=100');
    expect(mine.status).toBe(200);
    expect(mine.body.items[0]).toMatchObject({ imageId, userId: alice.userId, score: 5, feedback: 'lovely wren', templateId: id, templateVersion: 1 });
    expect((await bob.client.get('/v1/ratings')).body.items.map((r: { imageId: string }) => r.imageId)).not.toContain(imageId);

    const feedback = await admin.get(`/v1/admin/templates/${id}/versions/1/feedback`);
    expect(feedback.body).toEqual({ items: [expect.objectContaining({ imageId, score: 5, feedback: 'lovely wren', templateVersion: 1 })], nextCursor: null });
    expect((await admin.get(`/v1/admin/templates/${id}/versions/2/feedback`)).body.items).toEqual([]);
    expect((await alice.client.get(`/v1/admin/templates/${id}/versions/1/feedback`)).status).toBe(403);

    // The feedback stays listed for the version after the job retention removed the job.
    await environment.query('DELETE FROM jobs WHERE id = $1', [job.body.id]);
    expect((await admin.get(`/v1/admin/templates/${id}/versions/1/feedback`)).body.items).toHaveLength(1);
  });
});
