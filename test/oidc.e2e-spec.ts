import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startApi } from './support/app-process';
import { HttpClient } from './support/http-client';
import { authorize, OidcTestProvider } from './support/oidc-test-provider';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

const CALLBACK_PATH = '/v1/auth/oidc/callback';
/** Debian's chromium, as in the playground test; without it the browser case is skipped. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserAvailable = existsSync(CHROMIUM) || !!process.env.CI;

/**
 * Sign-in with OpenID Connect against a real provider (oidc-provider) on loopback: the whole
 * authorization-code + PKCE flow over HTTP, account creation and linking by verified email,
 * and each refusal: the provider down, a wrong, reused or expired state, a replayed code, an unverified email.
 */
describe('OpenID Connect sign-in', () => {
  const environment = new TestEnvironment();
  let provider: OidcTestProvider;
  let api: AppProcess;
  let http: HttpClient;

  /** Starts a sign-in and returns the provider URL the API redirected to. */
  const start = async (query = '') => {
    const response = await fetch(`${http.baseUrl}/v1/auth/oidc/start${query}`, { redirect: 'manual' });
    return { status: response.status, location: response.headers.get('location'), body: response.status === 302 ? undefined : await response.json() };
  };
  /** A whole sign-in as `subject`, up to (not including) the callback. */
  const signInAtProvider = async (subject: string, email: string, emailVerified = true) => {
    provider.signInAs(subject, { email, emailVerified });
    const { location } = await start();
    return authorize(location!, CALLBACK_PATH);
  };
  const callback = (url: URL) => http.get(url.pathname + url.search);

  beforeAll(async () => {
    await environment.create();
    provider = await OidcTestProvider.reservePort();
    const started = await startApi(
      environment.env({ OIDC_ISSUER_URL: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret, OIDC_PROVIDER_NAME: 'Test ID', LOG_LEVEL: 'warn' }),
    );
    api = started.api;
    http = new HttpClient(started.baseUrl);
  });

  afterAll(async () => {
    await api?.stop();
    await provider?.stop();
    await environment.destroy();
  });

  it('answers 503 while the issuer is down, then signs in once it is up', async () => {
    expect((await http.get('/v1/auth/oidc')).body).toEqual({ enabled: true, providerName: 'Test ID' });
    expect(await start()).toMatchObject({ status: 503, body: { code: 'OIDC_PROVIDER_UNAVAILABLE' } });

    await provider.start(`${http.baseUrl}${CALLBACK_PATH}`);
    const { status, location } = await start();
    expect(status).toBe(302);
    const authorization = new URL(location!);
    expect(authorization.origin).toBe(provider.issuer);
    expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
      client_id: provider.clientId, response_type: 'code', code_challenge_method: 'S256', redirect_uri: `${http.baseUrl}${CALLBACK_PATH}`, scope: 'openid email profile',
    });
    for (const param of ['state', 'nonce', 'code_challenge']) expect(authorization.searchParams.get(param)?.length).toBeGreaterThanOrEqual(22);
  });

  it('creates an account for a new verified identity and answers the same tokens as a password login', async () => {
    const email = `oidc-new-${environment.id}@example.test`;
    const signedIn = await callback(await signInAtProvider('subject-new', email));
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    expect(signedIn.body).toMatchObject({ user: { email, role: 'user', plan: 'free' }, accessToken: expect.any(String), refreshToken: expect.stringMatching(/^rt_/) });
    const me = await http.as(signedIn.body.accessToken).get('/v1/me');
    expect(me).toMatchObject({ status: 200, body: { id: signedIn.body.user.id, email } });
    expect((await http.post('/v1/auth/refresh', { refreshToken: signedIn.body.refreshToken })).status).toBe(200);
    // No password was ever set: none opens the account.
    expect((await http.post('/v1/auth/login', { email, password: 'correct horse battery' })).body.code).toBe('INVALID_CREDENTIALS');

    // The same identity again: the same account, even if the provider changed the address since.
    const again = await callback(await signInAtProvider('subject-new', `renamed-${email}`, false));
    expect(again.body.user.id).toBe(signedIn.body.user.id);
    const links = await environment.query('SELECT issuer, subject, email FROM user_identities WHERE user_id = $1', [signedIn.body.user.id]);
    expect(links).toEqual([{ issuer: provider.issuer, subject: 'subject-new', email }]);
  });

  it('links a new identity to the existing account with its verified email', async () => {
    const email = `oidc-existing-${environment.id}@example.test`;
    const registered = await http.post('/v1/auth/register', { email, password: 'correct horse battery' });
    expect(registered.status).toBe(201);
    const signedIn = await callback(await signInAtProvider('subject-existing', email.toUpperCase()));
    expect(signedIn).toMatchObject({ status: 200, body: { user: { id: registered.body.user.id, email } } });
    expect((await http.post('/v1/auth/login', { email, password: 'correct horse battery' })).status).toBe(200);
  });

  it('refuses an unverified email, creating and linking nothing', async () => {
    const email = `oidc-unverified-${environment.id}@example.test`;
    const refused = await callback(await signInAtProvider('subject-unverified', email, false));
    expect(refused).toMatchObject({ status: 403, body: { code: 'OIDC_EMAIL_UNVERIFIED', message: expect.stringMatching(/verified/) } });
    expect(await environment.query('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
    expect(await environment.query(`SELECT id FROM user_identities WHERE subject = 'subject-unverified'`)).toEqual([]);
  });

  it('refuses a wrong state, a reused state and a replayed code', async () => {
    const url = await signInAtProvider('subject-replay', `oidc-replay-${environment.id}@example.test`);
    const forged = new URL(url);
    forged.searchParams.set('state', 'not-the-state-we-sent');
    expect(await callback(forged)).toMatchObject({ status: 401, body: { code: 'OIDC_STATE_INVALID' } });
    const noState = new URL(url);
    noState.searchParams.delete('state');
    expect(await callback(noState)).toMatchObject({ status: 401, body: { code: 'OIDC_STATE_INVALID' } });

    expect((await callback(url)).status).toBe(200);
    // The same callback again: its state was used up.
    expect(await callback(url)).toMatchObject({ status: 401, body: { code: 'OIDC_STATE_INVALID' } });
    // The spent code under the state of a fresh sign-in: the provider refuses it.
    const fresh = new URL((await start()).location!);
    const replay = new URL(url);
    replay.searchParams.set('state', fresh.searchParams.get('state')!);
    expect(await callback(replay)).toMatchObject({ status: 401, body: { code: 'OIDC_CODE_REJECTED' } });
  });

  it('keeps a started sign-in for OIDC_STATE_TTL_SECONDS and refuses it once expired', async () => {
    const url = await signInAtProvider('subject-expired', `oidc-expired-${environment.id}@example.test`);
    const key = `${environment.redisPrefix}oidc:state:${url.searchParams.get('state')}`;
    const redis = environment.redis();
    try {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(590);
      expect(ttl).toBeLessThanOrEqual(600);
      await redis.pexpire(key, 1); // the sign-in's time runs out
      await waitFor(async () => (await redis.exists(key)) === 0, { what: 'the state to expire' });
    } finally {
      redis.disconnect();
    }
    expect(await callback(url)).toMatchObject({ status: 401, body: { code: 'OIDC_STATE_INVALID' } });
  });

  it('sends a page that started the sign-in back with a single-use ticket', async () => {
    expect(await start('?returnTo=//evil.example/')).toMatchObject({ status: 400 });
    expect(await start('?returnTo=https://evil.example/')).toMatchObject({ status: 400 });
    const email = `oidc-page-${environment.id}@example.test`;
    provider.signInAs('subject-page', { email, emailVerified: true });
    const { location } = await start('?returnTo=/');
    const url = await authorize(location!, CALLBACK_PATH);
    const back = await fetch(`${http.baseUrl}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const ticket = back.headers.get('location')!.match(/^\/#oidc-ticket=([\w-]+)$/)?.[1];
    expect(ticket).toBeDefined();
    const session = await http.post('/v1/auth/oidc/ticket', { ticket });
    expect(session).toMatchObject({ status: 200, body: { user: { email }, accessToken: expect.any(String) } });
    expect(await http.post('/v1/auth/oidc/ticket', { ticket })).toMatchObject({ status: 401, body: { code: 'OIDC_TICKET_INVALID' } });

    // A refusal goes back to the page too, with its code.
    provider.signInAs('subject-page-unverified', { email: `unverified-${email}`, emailVerified: false });
    const refusedUrl = await authorize((await start('?returnTo=/')).location!, CALLBACK_PATH);
    const refused = await fetch(`${http.baseUrl}${refusedUrl.pathname}${refusedUrl.search}`, { redirect: 'manual' });
    expect(refused.headers.get('location')).toBe('/#oidc-error=OIDC_EMAIL_UNVERIFIED');
  });

  it.skipIf(!browserAvailable)('signs in from the playground with the "Sign in with …" button', async () => {
    const email = `oidc-browser-${environment.id}@example.test`;
    provider.signInAs('subject-browser', { email, emailVerified: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(http.baseUrl);
      const button = page.getByRole('link', { name: 'Sign in with Test ID' });
      await button.click();
      // The provider signs the chosen account in and sends the browser back with a ticket, which the page redeems.
      await expect.poll(() => page.locator('#account-summary').textContent(), { timeout: 15_000 }).toMatch(/Free plan/);
      expect(new URL(page.url()).hash).toBe('');
      expect(await page.evaluate(`JSON.parse(localStorage.getItem('atelier.session')).user.email`)).toBe(email);
    } finally {
      await browser.close();
    }
  });

  it('answers 503 when the issuer goes down between start and callback', async () => {
    const url = await signInAtProvider('subject-down', `oidc-down-${environment.id}@example.test`);
    await provider.stop();
    expect(await callback(url)).toMatchObject({ status: 503, body: { code: 'OIDC_PROVIDER_UNAVAILABLE' } });
  });
});
