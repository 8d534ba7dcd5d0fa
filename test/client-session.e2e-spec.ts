import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtelierClient, AtelierError, MemorySessionStore, type Session } from '../client/src';
import { type AppProcess, startApi } from './support/app-process';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

/** A memory store that counts how often the client stored a session (sign-in and each refresh). */
class CountingStore extends MemorySessionStore {
  writes = 0;

  override set(session: Session | null): void {
    this.writes++;
    super.set(session);
  }
}

/** Makes the stored access token unusable, as an expired one is, keeping the refresh token. */
function spoilAccessToken(store: MemorySessionStore): void {
  store.set({ ...store.current!, accessToken: `${store.current!.accessToken}spoiled` });
}

/**
 * The typed client's session handling against a running API: the bearer token from its
 * session store, one shared refresh on 401 (refresh tokens rotate, so a second refresh with
 * the same token would revoke the session), and errors with the API's status and code.
 */
describe('the typed client keeps its session', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let baseUrl: string;

  beforeAll(async () => {
    await environment.create();
    ({ api, baseUrl } = await startApi(environment.env()));
  });

  afterAll(async () => {
    await api?.stop();
    await environment.destroy();
  });

  it('refreshes once for requests refused together, retries them, and the new session stays valid', async () => {
    const store = new CountingStore();
    const client = new AtelierClient(baseUrl, store);
    const session = await client.signIn('register', 'session@example.test', 'a long enough password');
    expect(store.current).toEqual(session);
    expect(client.accessToken).toBe(session.accessToken);

    spoilAccessToken(store);
    const writesBefore = store.writes;
    const [billing, jobs, models] = await Promise.all([client.billing(), client.listJobs({ limit: 5 }), client.listModels()]);
    expect(billing).toMatchObject({ plan: 'free', balance: 200, reserved: 0 });
    expect(jobs).toEqual({ items: [], nextCursor: null });
    expect(Array.isArray(models)).toBe(true);
    expect(store.writes - writesBefore).toBe(1); // one refresh for all three
    expect(store.current!.refreshToken).not.toBe(session.refreshToken); // rotated
    expect(store.current!.user).toEqual(session.user);

    // Had two refreshes spent the same token, the server would have revoked the family by now.
    spoilAccessToken(store);
    expect((await client.billing()).plan).toBe('free');
  });

  it('uploads FormData after a refresh too (the retried request resends the body)', async () => {
    const store = new MemorySessionStore();
    const client = new AtelierClient(baseUrl, store);
    await client.signIn('register', 'upload@example.test', 'a long enough password');
    spoilAccessToken(store);
    const image = await client.uploadImage(new Blob([new Uint8Array(await gradientPng(24, 16))], { type: 'image/png' }), 'gradient.png');
    expect(image).toMatchObject({ width: 24, height: 16, format: 'png' });
    expect(await client.getImage(image.id)).toMatchObject({ id: image.id, width: 24, height: 16 });
  });

  it('ends the session when its refresh token is spent, and says so with the API error', async () => {
    const first = new MemorySessionStore();
    const client = new AtelierClient(baseUrl, first);
    const session = await client.signIn('register', 'spent@example.test', 'a long enough password');
    expect(await client.refreshSession()).toBe(true); // spends session.refreshToken

    // A second copy of the old session (another tab that missed the rotation) tries the spent token.
    const stale = new MemorySessionStore();
    stale.set({ ...session, accessToken: 'not-a-token' });
    const error = await new AtelierClient(baseUrl, stale).billing().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect(error).toMatchObject({ status: 401 });
    expect(stale.current).toBeNull();
  });

  it('signs out: the refresh token is revoked and requests are refused', async () => {
    const store = new MemorySessionStore();
    const client = new AtelierClient(baseUrl, store);
    const session = await client.signIn('register', 'out@example.test', 'a long enough password');
    await client.signOut();
    expect(store.current).toBeNull();
    await expect(client.billing()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const replay = new MemorySessionStore();
    replay.set(session);
    expect(await new AtelierClient(baseUrl, replay).refreshSession()).toBe(false);
  });

  it('sends a fixed token as it is and never tries to refresh it', async () => {
    const store = new MemorySessionStore();
    const session = await new AtelierClient(baseUrl, store).signIn('register', 'fixed@example.test', 'a long enough password');
    expect((await new AtelierClient(baseUrl, session.accessToken).billing()).plan).toBe('free');
    const refused = await new AtelierClient(baseUrl, 'not-a-token').billing().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AtelierError);
    expect(refused).toMatchObject({ status: 401, code: expect.stringMatching(/^(UNAUTHENTICATED|INVALID_TOKEN)$/) });
  });

  it('turns an API error into an AtelierError with its code, message and details', async () => {
    const client = await AtelierClient.register(baseUrl, 'errors@example.test', 'a long enough password');
    const error = (await client.submit({ type: 'resize', input: { imageId: '00000000-0000-4000-8000-000000000000', width: 9000 } }).catch((e: unknown) => e)) as AtelierError;
    expect(error).toBeInstanceOf(AtelierError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('INVALID_JOB');
    expect(error.message).toMatch(/width/);
    expect(error.details).toMatchObject({ fields: [expect.objectContaining({ path: 'width' })] });
  });
});
