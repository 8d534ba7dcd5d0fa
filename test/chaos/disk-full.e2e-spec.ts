import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from '../support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from '../support/http-client';
import { gradientPng } from '../support/images';
import { NOTHING_LOST, settleAndAudit } from '../support/ledger-audit';
import { TestEnvironment } from '../support/test-environment';
import { waitFor } from '../support/wait-for';

const ADMIN = { email: 'disk-chaos@example.test', password: 'chaos admin password' };
/** The load's pace between two requests: a rate, not a wait for anything. */
const LOAD_PACE_MS = 60;

/** A small tmpfs is the full disk; mounting one needs root (CAP_SYS_ADMIN). Without it this file is skipped. */
function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'atelier-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}
const tmpfsAllowed = canMountTmpfs();
if (!tmpfsAllowed) console.warn('disk-full chaos skipped: cannot mount a tmpfs here (needs root)');

/** Every file under `dir`, with its size. */
function filesUnder(dir: string): Array<{ path: string; size: number }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, size: statSync(path).size };
    });
}

/** Fills the filesystem of `dir` up to the last byte with one file. */
function fill(dir: string): string {
  const filler = join(dir, 'filler');
  const { bavail, bsize } = statfsSync(dir);
  writeFileSync(filler, Buffer.alloc(Number(bavail) * Number(bsize)));
  try {
    for (;;) appendFileSync(filler, Buffer.alloc(4096));
  } catch {
    // ENOSPC: full
  }
  return filler;
}

/**
 * The blob store's disk fills up under a steady load of uploads and jobs: uploads answer 503
 * STORAGE_FULL, jobs whose output cannot be stored fail with STORAGE_FULL and their credits
 * go back, nothing half-written stays on disk, and everything works again once space returns.
 */
describe.skipIf(!tmpfsAllowed)('chaos: the blob store disk is full under load', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', environment.storageDir]);
    await environment.create();
    const system = await startSystem(environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    if (tmpfsAllowed) execFileSync('umount', ['-l', environment.storageDir]);
    await environment.destroy();
  });

  it('answers 503 STORAGE_FULL cleanly, writes nothing half, and recovers when space returns', async () => {
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    const user = await registerUser(http, 'disk-chaos');
    await admin.put('/v1/admin/plans/free', { ratePerMinute: 10_000, maxConcurrentJobs: 10_000 });
    const imageId = (await user.client.upload('/v1/images', await gradientPng(96, 64))).body.id;
    const before = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 40 }, cache: false });
    expect((await waitForJobStatus(user.client, before.body.id, ['succeeded', 'failed'], 30_000)).status).toBe('succeeded');

    const filler = fill(environment.storageDir);
    const statuses = new Map<string, number>();
    const count = (key: string) => statuses.get(key) ?? 0;
    const jobsWhileFull: string[] = [];
    let loading = true;
    let i = 0;
    const load = (async () => {
      while (loading) {
        // Distinct content each time, so every upload and every output needs new bytes on disk.
        const upload = await user.client.upload('/v1/images', await gradientPng(32 + (i % 50), 24 + (i % 7)));
        statuses.set(`upload ${upload.status}`, count(`upload ${upload.status}`) + 1);
        if (upload.status === 503) {
          expect(upload.body).toMatchObject({ code: 'STORAGE_FULL', message: expect.any(String) });
          expect(upload.headers.get('retry-after')).toBe('30');
        } else expect(upload.status).toBe(201);
        const job = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 8 + (i % 30) }, cache: false });
        expect(job.status).toBe(202);
        jobsWhileFull.push(job.body.id);
        i++;
        await delay(LOAD_PACE_MS);
      }
    })();
    const seen = () => JSON.stringify(Object.fromEntries(statuses));
    try {
      await waitFor(() => count('upload 503') >= 10 && jobsWhileFull.length >= 10, { timeoutMs: 30_000, what: () => `refusals while the disk is full (${seen()})` });
    } finally {
      loading = false;
      await load;
    }
    expect(count('upload 201')).toBe(0);
    // Reading still works, a thumbnail too (rendered, just not cached).
    expect((await user.client.bytes(`/v1/images/${imageId}/content?width=16`)).status).toBe(200);

    // The jobs whose output could not be stored fail with STORAGE_FULL once their retries are spent.
    const lastJob = await waitForJobStatus(user.client, jobsWhileFull.at(-1)!, ['succeeded', 'failed'], 30_000);
    expect(lastJob).toMatchObject({ status: 'failed', error: { code: 'STORAGE_FULL' } });

    // Nothing half-written: no temp file left, and every stored blob is whole (its row's size).
    const blobs = filesUnder(join(environment.storageDir, 'blobs'));
    expect(blobs.filter((f) => f.path.endsWith('.tmp'))).toEqual([]);
    const rows = await environment.query<{ sha256: string; bytes: number }>('SELECT sha256, bytes FROM images WHERE owner_id = $1', [user.userId]);
    for (const row of rows) expect(blobs.find((f) => f.path.endsWith(`/${row.sha256}`))?.size).toBe(row.bytes);
    expect(rows).toHaveLength(2); // the first upload and the first job's output

    rmSync(filler);
    const upload = await user.client.upload('/v1/images', await gradientPng(77, 55));
    expect(upload.status).toBe(201);
    const after = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId: upload.body.id, width: 24 }, cache: false });
    expect((await waitForJobStatus(user.client, after.body.id, ['succeeded', 'failed'], 30_000)).status).toBe('succeeded');

    const audit = await settleAndAudit(environment, [user.userId]);
    expect(audit.lost).toEqual(NOTHING_LOST);
    expect(audit.byStatus).toEqual({ succeeded: 2, failed: jobsWhileFull.length });
    console.log(`disk full: ${seen()} while full; ${jobsWhileFull.length} jobs failed STORAGE_FULL with credits released; audit ${JSON.stringify(audit)}`);
  });
});
