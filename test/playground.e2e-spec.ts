import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, startSystem } from './support/app-process';
import { HttpClient } from './support/http-client';
import type { JobTypeInfo } from '../client/src';
import { describeInput } from '../web/src/job-types/job-fields';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

/** Debian's chromium; `.ci/run` installs it. Outside CI a machine without it skips this file. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'playground');
const browserAvailable = existsSync(CHROMIUM) || !!process.env.CI;
if (!browserAvailable) console.warn(`playground browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium)`);

/**
 * The web playground served by the API, driven in a real browser against the real API and
 * worker processes: sign up, upload, a job's live progress to 100 %, the gallery, a rating,
 * error messages, cancel, and a reload in the middle of a job.
 */
describe.skipIf(!browserAvailable)('web playground in a real browser', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const card = (jobId: string) => page.locator(`#jobs li[data-job-id="${jobId}"]`);
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  // The root tsconfig has no DOM types (it is the server's), so page-side code reads properties by name or runs as text.
  const prop = <T>(selector: string, name: string) => page.locator(selector).evaluate((el, key) => (el as unknown as Record<string, T>)[key], name);
  const inPage = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
  const token = () => inPage<string>(`JSON.parse(localStorage.getItem('atelier.session')).accessToken`);
  const progressOf = (jobId: string) => prop<number>(`#jobs li[data-job-id="${jobId}"] progress`, 'value');

  /** Submits the form and returns the new job's id (the newest card). */
  async function submitJob(): Promise<string> {
    const before = await page.locator('#jobs li').count();
    await page.getByRole('button', { name: 'Submit job' }).click();
    await expect.poll(() => page.locator('#jobs li').count()).toBe(before + 1);
    return (await page.locator('#jobs li').first().getAttribute('data-job-id'))!;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await environment.create();
    ({ api, worker, baseUrl } = await startSystem(environment.env()));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    // API errors the test provokes log "Failed to load resource"; anything else (CSP, script errors) is a bug.
    page.on('console', (message) => message.type() === 'error' && !/Failed to load resource/.test(message.text()) && pageErrors.push(message.text()));
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('serves the page at / beside the API routes', async () => {
    const http = new HttpClient(baseUrl);
    const index = await fetch(`${baseUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toContain('Atelier playground');
    expect((await http.get('/health/live')).status).toBe(200);
    expect((await http.get('/metrics')).status).toBe(200);
    expect(await http.get('/v1/me')).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect((await http.get('/v1/no-such-route')).status).toBe(404);
  });

  it('signs up and shows the plan and credits; every control has a label', async () => {
    await page.goto(baseUrl);
    await shot('01-signed-out');
    await page.getByLabel('Email').fill(`web-${Date.now()}@example.test`);
    await page.getByLabel(/^Password/).fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    // Hashing the password (argon2) can take seconds on a busy machine.
    await expect.poll(() => page.locator('#account-summary').textContent(), { timeout: 15_000 }).toMatch(/Free plan · 200 credits available · 0 B of 1 GiB stored$/);
    expect(await page.locator('#auth').isHidden()).toBe(true);

    const unlabeled = await inPage<string[]>(
      `[...document.querySelectorAll('input, select, textarea')].filter((c) => !c.labels.length && !c.getAttribute('aria-label')).map((c) => c.outerHTML)`,
    );
    expect(unlabeled).toEqual([]);
    // Keyboard focus is visible: the focused control gets the focus outline.
    await page.locator('#job-type').focus();
    await page.keyboard.press('Tab');
    expect(await inPage('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
  });

  it("says why the job types, models or templates are missing when the API cannot give them, instead of offering made-up ones", async () => {
    // The browser's requests really get a 503 with the API's error body (the API itself is fine, so the rest of the page loads).
    const unavailable = (message: string) => (route: Route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ statusCode: 503, error: 'Service Unavailable', code: 'DEPENDENCY_UNAVAILABLE', message }) });
    const models = unavailable('The model registry is not answering');
    const templates = unavailable('The template store is not answering');
    const isModels = (url: URL) => url.pathname === '/v1/models';
    const isTemplates = (url: URL) => url.pathname === '/v1/templates';
    await page.route(isModels, models);
    await page.route(isTemplates, templates);
    await page.reload();
    await page.selectOption('#job-type', 'txt2img');
    const modelError = page.locator('#job-model-error');
    const templateError = page.locator('#job-template-error');
    await expect.poll(() => modelError.textContent()).toBe(
      'The models could not be loaded, so only the default model is offered. The service is busy or partly down (The model registry is not answering). Try again shortly.',
    );
    await expect.poll(() => templateError.textContent()).toBe('The templates could not be loaded. The service is busy or partly down (The template store is not answering). Try again shortly.');
    expect(await modelError.isVisible()).toBe(true);
    expect(await templateError.isVisible()).toBe(true);
    expect(await modelError.getAttribute('role')).toBe('alert');
    expect(await inPage<string[]>(`[...document.querySelectorAll('#job-model option')].map((o) => o.value)`)).toEqual(['']);
    expect(await inPage<string[]>(`[...document.querySelectorAll('#job-template option')].map((o) => o.value)`)).toEqual(['']);
    expect(await page.locator('#account-summary').textContent()).toMatch(/200 credits available/); // the rest of the workspace is there
    await shot('01b-lists-unavailable');

    await page.unroute(isModels, models);
    await page.unroute(isTemplates, templates);

    // Without the job types there is no form to fill: it says why and offers nothing to submit.
    const isJobTypes = (url: URL) => url.pathname === '/v1/job-types';
    const jobTypes = unavailable('The job catalog is not answering');
    await page.route(isJobTypes, jobTypes);
    await page.reload();
    await expect.poll(() => page.locator('#job-types-error').textContent()).toBe(
      'The job types could not be loaded, so no job can be submitted. The service is busy or partly down (The job catalog is not answering). Try again shortly.',
    );
    expect(await page.locator('#job-types-error').isVisible()).toBe(true);
    await expect.poll(() => prop<boolean>('#job-submit', 'disabled')).toBe(true); // once every list has answered
    expect(await inPage<number>(`document.querySelectorAll('#job-type option').length`)).toBe(0);
    expect(await page.locator('#job-input-fields').isHidden()).toBe(true);
    await page.unroute(isJobTypes, jobTypes);
    await page.reload();
    await page.selectOption('#job-type', 'txt2img');
    await expect.poll(() => inPage<string[]>(`[...document.querySelectorAll('#job-model option')].map((o) => o.value)`)).toContain('pattern-cppn');
    expect(await modelError.isHidden()).toBe(true);
    expect(await templateError.isHidden()).toBe(true);
    expect(await page.locator('#job-types-error').isHidden()).toBe(true);
    expect(await prop<boolean>('#job-submit', 'disabled')).toBe(false);
    expect(await prop<boolean>('#job-type', 'disabled')).toBe(false);
  });

  it('builds the job form from GET /v1/job-types: the types, and for each its fields with their bounds, defaults and choices', async () => {
    const http = new HttpClient(baseUrl, await token());
    const response = await http.get('/v1/job-types');
    expect(response.status).toBe(200);
    const jobTypes: JobTypeInfo[] = response.body;
    expect(jobTypes.length).toBeGreaterThan(0);
    const offered = await inPage<string[]>(`[...document.querySelectorAll('#job-type option')].map((o) => o.value)`);
    expect([...offered].sort()).toEqual(jobTypes.map((t) => t.type).sort());

    for (const jobType of jobTypes) {
      await page.selectOption('#job-type', jobType.type);
      expect(await page.locator('#job-type-description').textContent()).toBe(jobType.description);
      expect(await page.locator('#job-source-fields').isVisible()).toBe(jobType.needsImage);
      expect(await page.locator('#job-model-fields').isVisible()).toBe(jobType.usesModel);
      const drawn = await inPage<Array<{ name: string; tag: string; type: string; min: string; max: string; step: string; value: string; options: string[] }>>(
        `[...document.querySelectorAll('#job-input [data-field]')].map((w) => { const c = w.querySelector('input, select, textarea');
          return { name: c.name, tag: c.tagName, type: c.type, min: c.min ?? '', max: c.max ?? '', step: c.step ?? '', value: c.value, options: [...(c.options ?? [])].map((o) => o.value) }; })`,
      );
      const editable = Object.entries(jobType.inputSchema.properties).filter(([name, p]) => name !== 'imageId' && ((p.type !== 'object' && p.type !== 'array') || p['x-json-editor']));
      expect(drawn.map((d) => d.name), jobType.type).toEqual(editable.map(([name]) => name));
      for (const [name, property] of editable) {
        const control = drawn.find((d) => d.name === name)!;
        if (property.enum) {
          expect(control.tag).toBe('SELECT');
          expect(control.options.filter(Boolean)).toEqual(property.enum.map(String));
        } else if (property.type === 'integer' || property.type === 'number') {
          expect(control).toMatchObject({ type: 'number', min: String(property.minimum ?? ''), max: String(property.maximum ?? '') });
          expect(control.step).toBe(property.multipleOf !== undefined ? String(property.multipleOf) : property.type === 'integer' ? '1' : 'any');
        }
        if (property.default !== undefined && property.type !== 'boolean') expect(control.value, `${jobType.type}.${name}`).toBe(String(property.default));
      }
    }
    await page.selectOption('#job-type', 'txt2img');
    await shot('01c-form-from-job-types');
  });

  it("shows a job's parameters from the job itself, also for a job this browser did not submit", async () => {
    const http = new HttpClient(baseUrl, await token());
    const imageId: string = (await http.upload('/v1/images', await gradientPng(64, 48), 'api.png')).body.id;
    const submitted = await http.post('/v1/jobs', { type: 'resize', input: { imageId, width: 32 } });
    expect(submitted.status).toBe(202);
    expect(submitted.body.input).toMatchObject({ imageId, width: 32 });
    const jobId: string = submitted.body.id;
    await expect.poll(async () => (await http.get(`/v1/jobs/${jobId}`)).body.status, { timeout: 30_000 }).toBe('succeeded');
    const job = (await http.get(`/v1/jobs/${jobId}`)).body;

    await page.reload(); // the gallery and job list load it from the API
    const output = job.outputs[0];
    await expect.poll(() => page.locator(`#gallery li[data-image-id="${output.imageId}"]`).count()).toBe(1);
    await expect.poll(() => card(jobId).locator('p.small').textContent()).toBe(describeInput(job.input));
    await page.locator(`#gallery li[data-image-id="${output.imageId}"] button`).click();
    await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(true);
    await expect.poll(() => page.locator('#detail-facts').textContent()).toContain(`Parameters${describeInput(job.input)}Finished`);
    expect(describeInput(job.input)).toContain('width 32');
    await page.keyboard.press('Escape');
    await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(false);

    // The gallery is the image library: the upload is a tile too, and the output stays once the job retention removed its job.
    const uploadTile = page.locator(`#gallery li[data-image-id="${imageId}"]`);
    expect(await uploadTile.getAttribute('data-source')).toBe('upload');
    expect(await page.locator(`#gallery li[data-image-id="${output.imageId}"]`).getAttribute('data-source')).toBe('generated');
    await environment.query('DELETE FROM jobs WHERE id = $1', [jobId]);
    await page.reload();
    await expect.poll(() => page.locator(`#gallery li[data-image-id="${output.imageId}"]`).count()).toBe(1);
    expect(await page.locator(`#gallery li[data-image-id="${imageId}"] img`).getAttribute('loading')).toBe('lazy');
    await page.locator(`#gallery li[data-image-id="${output.imageId}"] button`).click();
    await expect.poll(() => page.locator('#detail-facts').textContent()).toMatch(/^Size32 × 24 PNG.*Jobno longer keptRatings/);
    await page.keyboard.press('Escape');
    await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(false);
  });

  it('uploads an image, runs a filter job to 100 % and shows the result in the gallery', async () => {
    await page.selectOption('#job-type', 'filter');
    await page.setInputFiles('#source-file', { name: 'gradient.png', mimeType: 'image/png', buffer: await gradientPng(96, 64) });
    await expect.poll(() => page.locator('#source-status').textContent()).toContain('Uploaded gradient.png: 96 × 64 PNG');
    await page.selectOption('#input-filter', 'grayscale');
    await expect.poll(() => page.locator('#job-quote').textContent()).toMatch(/Costs \d+ credit/);
    const jobId = await submitJob();

    await expect.poll(() => card(jobId).getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await progressOf(jobId)).toBe(100);
    expect(await card(jobId).textContent()).toContain('100 %');
    expect(await card(jobId).textContent()).toContain('filter grayscale');

    const job = (await new HttpClient(baseUrl, await token()).get(`/v1/jobs/${jobId}`)).body;
    const imageId: string = job.outputs[0].imageId;
    const thumbnailSelector = `#gallery li[data-image-id="${imageId}"] img`;
    const thumbnail = page.locator(thumbnailSelector);
    await thumbnail.scrollIntoViewIfNeeded();
    await expect.poll(() => prop<number>(thumbnailSelector, 'naturalWidth')).toBeGreaterThan(0);
    expect(await thumbnail.getAttribute('loading')).toBe('lazy');
    expect(await thumbnail.getAttribute('src')).toMatch(/sig=.*&width=96&format=webp$/);
    await shot('02-job-succeeded');
  });

  it('opens the image with the keyboard, shows its parameters and rates it', async () => {
    const tile = page.locator('#gallery li button').first();
    const imageId = (await page.locator('#gallery li').first().getAttribute('data-image-id'))!;
    await tile.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(true);
    await expect.poll(() => page.locator('#detail-facts').textContent()).toMatch(/96 × 64 PNG.*filter.*filter grayscale/s);
    await expect.poll(() => prop<number>('#detail-image', 'naturalWidth')).toBe(96);
    await page.locator('#star-4').check();
    await page.getByLabel(/^Feedback/).fill('Nice and grey');
    await page.getByRole('button', { name: 'Save rating' }).click();
    await expect.poll(() => page.locator('#rating-status').textContent()).toBe('Thanks, your rating of 4 is saved.');
    await expect.poll(() => page.locator('#detail-facts').textContent()).toContain('RatingsAverage 4.0 from 1 rating');
    await shot('03-detail-rated');

    const image = await new HttpClient(baseUrl, await token()).get(`/v1/images/${imageId}`);
    expect(image.body.ratings).toEqual({ count: 1, average: 4 });
    await page.keyboard.press('Escape');
    await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(false);
  });

  it('generates an image from a prompt: model list from /v1/models, step previews, progress to 100 %, gallery and parameters', async () => {
    await page.selectOption('#job-type', 'txt2img');
    // The model list is the API's: every model that does txt2img, the default pattern-cppn among them.
    const http = new HttpClient(baseUrl, await token());
    const models: Array<{ id: string; pipeline: string; jobTypes?: string[] }> = (await http.get('/v1/models')).body;
    const txt2imgModels = models.filter((m) => (m.jobTypes ?? [m.pipeline]).includes('txt2img')).map((m) => m.id);
    expect(txt2imgModels).toContain('pattern-cppn');
    const offered = await inPage<string[]>(`[...document.querySelectorAll('#job-model option')].map((o) => o.value)`);
    expect(offered).toEqual(['', ...txt2imgModels]);
    await page.selectOption('#job-model', 'pattern-cppn');

    expect(await page.locator('#job-template').inputValue()).toBe('');
    await page.getByLabel('Prompt', { exact: true }).fill('A lighthouse on a cliff at dawn');
    await page.getByLabel('Negative prompt').fill('blurry');
    await page.getByLabel('Width', { exact: true }).fill('128');
    await page.getByLabel('Height', { exact: true }).fill('128');
    await page.getByLabel('Steps').fill('8');
    await page.getByLabel('Guidance').fill('6.5');
    await page.getByLabel('Batch').fill('1');
    await page.getByLabel(/^Seed/).fill('1234');
    await expect.poll(() => page.locator('#job-quote').textContent()).toMatch(/Costs \d+ credit/);

    // The preview only shows while the job runs (milliseconds at this size), so the page records what it showed.
    await inPage(`(() => {
      const seen = (window.__txt2img = { previews: [], previewWidths: [], percents: [] });
      new MutationObserver((records) => {
        for (const { target } of records) {
          if (target.matches('img.preview') && !target.hidden && target.getAttribute('src')) seen.previews.push(target.getAttribute('src').slice(0, 22));
          if (target.matches('progress')) seen.percents.push(target.value);
        }
      }).observe(document.querySelector('#jobs'), { subtree: true, attributes: true, attributeFilter: ['hidden', 'src', 'value'] });
      document.addEventListener('load', (event) => event.target.matches?.('img.preview') && seen.previewWidths.push(event.target.naturalWidth), true);
    })()`);

    // Submitted with the keyboard: Enter in the seed field submits the form.
    const before = await page.locator('#jobs li').count();
    await page.getByLabel(/^Seed/).press('Enter');
    await expect.poll(() => page.locator('#jobs li').count()).toBe(before + 1);
    const jobId = (await page.locator('#jobs li').first().getAttribute('data-job-id'))!;
    expect(await card(jobId).locator('h3').textContent()).toBe('Text to image');
    // The card's summary is the input the API accepted (what was typed, defaults filled in).
    const accepted = (await http.get(`/v1/jobs/${jobId}`)).body.input;
    expect(accepted).toMatchObject({ prompt: 'A lighthouse on a cliff at dawn', negativePrompt: 'blurry', width: 128, height: 128, steps: 8, guidance: 6.5, batch: 1, seed: 1234 });
    const summary = describeInput(accepted);
    expect(summary.startsWith('“A lighthouse on a cliff at dawn” · ')).toBe(true);
    for (const part of ['negativePrompt blurry', 'width 128', 'height 128', 'steps 8', 'guidance 6.5', 'batch 1', 'seed 1234']) expect(summary).toContain(part);
    await expect.poll(() => card(jobId).locator('p.small').textContent()).toBe(summary);

    await expect.poll(() => card(jobId).getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await progressOf(jobId)).toBe(100);
    expect(await card(jobId).textContent()).toContain('100 %');
    expect(await card(jobId).locator('.status').textContent()).toBe('Done: 1 image in the gallery, results below');
    expect(await card(jobId).locator('details summary').textContent()).toBe('Result'); // model, provider and seeds as JSON
    expect(await card(jobId).locator('img.preview').isHidden()).toBe(true);
    const seen = await inPage<{ previews: string[]; previewWidths: number[]; percents: number[] }>('window.__txt2img');
    expect(seen.previews.length).toBeGreaterThan(0);
    expect(seen.previews[0]).toBe('data:image/webp;base64');
    await expect.poll(() => inPage<number[]>('window.__txt2img.previewWidths')).not.toEqual([]);
    expect(Math.min(...(await inPage<number[]>('window.__txt2img.previewWidths')))).toBeGreaterThan(0);
    expect(seen.percents.some((p) => p > 0 && p < 100)).toBe(true);
    expect(seen.percents.at(-1)).toBe(100);

    const job = (await http.get(`/v1/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ type: 'txt2img', model: 'pattern-cppn', status: 'succeeded' });
    expect(job.outputs[0]).toMatchObject({ width: 128, height: 128, seed: 1234 });
    expect(job.outputs[1]).toMatchObject({ kind: 'json', data: { model: 'pattern-cppn', seeds: [1234] } });
    const imageId: string = job.outputs[0].imageId;
    const thumbnailSelector = `#gallery li[data-image-id="${imageId}"] img`;
    await page.locator(thumbnailSelector).scrollIntoViewIfNeeded();
    await expect.poll(() => prop<number>(thumbnailSelector, 'naturalWidth')).toBe(128);
    expect(await page.locator('#gallery li').first().getAttribute('data-image-id')).toBe(imageId);
    await shot('07-txt2img-succeeded');

    await page.locator(`#gallery li[data-image-id="${imageId}"] button`).click();
    await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(true);
    await expect.poll(() => prop<number>('#detail-image', 'naturalWidth')).toBe(128);
    await expect.poll(() => page.locator('#detail-facts').textContent()).toMatch(/128 × 128 PNG.*txt2img with pattern-cppn/s);
    const facts = (await page.locator('#detail-facts').textContent())!;
    expect(facts).toContain(`Parameters${summary}Seed`);
    expect(facts).toContain('Seed1234');
    await shot('08-txt2img-detail');
    await page.keyboard.press('Escape');
    await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('names the model and the seed that really made each image when the model is left on the default and the seed blank', async () => {
    await page.selectOption('#job-type', 'txt2img');
    await page.selectOption('#job-model', '');
    await page.getByLabel('Prompt', { exact: true }).fill('A red kite over the dunes');
    await page.getByLabel('Negative prompt').fill('');
    await page.getByLabel('Width', { exact: true }).fill('128');
    await page.getByLabel('Height', { exact: true }).fill('128');
    await page.getByLabel('Steps').fill('6');
    await page.getByLabel('Guidance').fill('7');
    await page.getByLabel('Batch').fill('2');
    await page.getByLabel(/^Seed/).fill('');
    await expect.poll(() => page.locator('#job-quote').textContent()).toMatch(/Costs \d+ credit/);
    const jobId = await submitJob();
    await expect.poll(() => card(jobId).getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');

    // The form sent no model: the server names the default it picked; each image has its own seed.
    const job = (await new HttpClient(baseUrl, await token()).get(`/v1/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ type: 'txt2img', model: 'pattern-cppn', status: 'succeeded' });
    expect(job.input).not.toHaveProperty('seed'); // blank: left to the server, which derives one per image
    const images: Array<{ imageId: string; seed: number }> = job.outputs.filter((o: { imageId?: string }) => o.imageId);
    expect(images).toHaveLength(2);
    expect(new Set(images.map((i) => i.seed)).size).toBe(2);
    expect(job.outputs.find((o: { kind?: string }) => o.kind === 'json')).toMatchObject({ data: { model: 'pattern-cppn', seeds: images.map((i) => i.seed) } });

    for (const { imageId, seed } of images) {
      await page.locator(`#gallery li[data-image-id="${imageId}"] button`).click();
      await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(true);
      await expect.poll(() => page.locator('#detail-facts').textContent()).toMatch(/128 × 128 PNG.*txt2img with pattern-cppn/s);
      const facts = (await page.locator('#detail-facts').textContent())!;
      expect(facts).toContain(`Parameters${describeInput(job.input)}Seed`);
      expect(job.input).toMatchObject({ prompt: 'A red kite over the dunes', width: 128, height: 128, steps: 6, guidance: 7, batch: 2 });
      expect(job.input).not.toHaveProperty('negativePrompt'); // left blank: not sent
      expect(facts).toContain(`Seed${seed}Finished`);
      await shot('09-txt2img-default-model-detail');
      await page.keyboard.press('Escape');
      await expect.poll(() => prop<boolean>('#detail', 'open')).toBe(false);
    }
    expect(pageErrors).toEqual([]);
  });

  it("shows the API's 422 field messages", async () => {
    await page.selectOption('#job-type', 'resize');
    await page.fill('#input-width', '9000');
    const cards = await page.locator('#jobs li').count();
    await page.getByRole('button', { name: 'Submit job' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toMatch(/The job was not accepted\. Please fix: width must be less than or equal to 8192/);
    expect(await page.locator('#notice').getAttribute('data-kind')).toBe('error');
    expect(await page.locator('#jobs li').count()).toBe(cards);
  });

  it('follows a job across a page reload, cancels one, and reports the concurrency limit with its retry time', async () => {
    await worker.stop(); // no worker: jobs stay queued, so the reload happens mid-job
    const base64 = (await gradientPng(80, 60)).toString('base64');
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob('${base64}'), (c) => c.charCodeAt(0))], 'dropped.png', { type: 'image/png' }));
      return transfer;
    })()`);
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
    await expect.poll(() => page.locator('#source-status').textContent()).toContain('Uploaded dropped.png: 80 × 60 PNG');

    await page.fill('#input-width', '40');
    const kept = await submitJob();
    await expect.poll(() => card(kept).locator('.status').textContent()).toBe('Queued: next in line');
    const canceled = await submitJob();
    await page.locator('#jobs li').first().getByRole('button', { name: /Cancel/ }).click();
    await expect.poll(() => card(canceled).getAttribute('data-status')).toBe('canceled');

    // Free plan: 2 jobs at a time. Fill the second slot, then a third is refused with 429.
    const second = await submitJob();
    await page.getByRole('button', { name: 'Submit job' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toMatch(/2 jobs at a time; wait for one to finish\. Try again in \d+ s\./);
    await shot('04-queued-and-limited');

    await page.reload();
    await expect.poll(() => card(kept).getAttribute('data-status')).toBe('queued');
    expect(await card(canceled).getAttribute('data-status')).toBe('canceled');
    expect(await progressOf(kept)).toBe(0);
    await shot('05-after-reload');

    worker = AppProcess.start('worker', environment.env());
    await worker.waitUntil(() => worker.logs.includes('Atelier worker ready'));
    for (const jobId of [kept, second]) {
      await expect.poll(() => card(jobId).getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
      expect(await progressOf(jobId)).toBe(100);
    }
    const output = (await new HttpClient(baseUrl, await token()).get(`/v1/jobs/${kept}`)).body.outputs[0];
    expect(output).toMatchObject({ width: 40, height: 30 });
    await expect.poll(() => page.locator(`#gallery li[data-image-id="${output.imageId}"]`).count()).toBe(1);
    await shot('06-resumed-after-reload');
    expect(pageErrors).toEqual([]);
  });

  it('submits a workflow pasted as JSON and watches it run to its saved image', async () => {
    await page.selectOption('#job-type', 'workflow');
    expect(await prop<string>('#input-graph', 'tagName')).toBe('TEXTAREA');
    await page.fill('#input-graph', '{ not json');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toMatch(/Graph is not valid JSON/);
    await page.fill('#input-graph', readFileSync('test/fixtures/comfy-txt2img.json', 'utf8'));
    await expect.poll(() => page.locator('#job-quote').textContent()).toMatch(/Costs 1 credit\./);
    const jobId = await submitJob();
    await expect.poll(() => card(jobId).getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await progressOf(jobId)).toBe(100);
    const job = (await new HttpClient(baseUrl, await token()).get(`/v1/jobs/${jobId}`)).body;
    expect(job.outputs[0]).toMatchObject({ node: '9', width: 64, height: 64 });
    await expect.poll(() => page.locator(`#gallery li[data-image-id="${job.outputs[0].imageId}"]`).count()).toBe(1);
    await shot('02b-workflow-succeeded');
  });
});
