import { spawn } from 'node:child_process';
import { join } from 'node:path';
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestEnvironment } from './support/test-environment';

const CLI = join(process.cwd(), 'dist/apps/api/src/cli/admin.cli.js');

/** Runs the built CLI as an operator would, against this file's own database. */
function runCli(env: Record<string, string>, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** `npm run admin -- <email>`: the first admin from the command line, never from a request body. */
describe('admin CLI', () => {
  const environment = new TestEnvironment();
  let env: Record<string, string>;
  const userRow = async (email: string) =>
    (await environment.query<{ role: string; password_hash: string }>('SELECT role, password_hash FROM users WHERE email = $1', [email]))[0];

  beforeAll(async () => {
    await environment.create();
    env = environment.env();
  });
  afterAll(() => environment.destroy());

  it('creates an admin with an argon2id hash of the password read from stdin', async () => {
    const result = await runCli(env, ['Root@Example.test'], 'a long admin passphrase\n');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('root@example.test: created as admin') });
    const row = await userRow('root@example.test');
    expect(row.role).toBe('admin');
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(row.password_hash, 'a long admin passphrase')).toBe(true);
  });

  it('promotes an existing user without touching the password', async () => {
    await environment.query(`INSERT INTO users (email, password_hash) VALUES ('carol@example.test', 'kept-hash')`);
    const result = await runCli(env, ['carol@example.test']);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('promoted as admin') });
    expect(await userRow('carol@example.test')).toEqual({ role: 'admin', password_hash: 'kept-hash' });
  });

  it('refuses to create an account without a password, or with a short one', async () => {
    const missing = await runCli(env, ['nobody@example.test']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no account for nobody@example\.test: give a password/);
    const short = await runCli(env, ['short@example.test'], 'tiny\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 10 characters/);
    expect(await environment.query("SELECT 1 FROM users WHERE email IN ('nobody@example.test', 'short@example.test')")).toEqual([]);
  });

  it('prints its usage for a wrong call, and names a bad setting', async () => {
    const usage = await runCli(env, ['--password', 'x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run admin -- <email>/);
    const badUrl = await runCli({ ...env, DATABASE_URL: 'mysql://nope' }, ['a@example.test'], 'a long admin passphrase\n');
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/DATABASE_URL/);
  });
});
