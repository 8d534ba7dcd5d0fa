import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/support/test-database';
import { UserEntity } from '../users/user.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokens } from './refresh-tokens';

describe('RefreshTokens (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let tokens: RefreshTokens;
  let userId: string;

  beforeAll(async () => {
    db = await createTestDatabase([UserEntity, RefreshTokenEntity]);
    tokens = new RefreshTokens(db.dataSource.getRepository(RefreshTokenEntity));
    const user = await db.dataSource.getRepository(UserEntity).save({ email: 'r@example.test', passwordHash: 'x' });
    userId = user.id;
  });
  afterAll(() => db.destroy());

  it('stores only a hash of the token', async () => {
    const token = await tokens.issue(userId);
    const rows = await db.environment.query<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens');
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(rows.every((r) => /^[a-f0-9]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('rotates on use and revokes the whole family when a used token comes back', async () => {
    const first = await tokens.issue(userId);
    const second = await tokens.rotate(first);
    expect(second.userId).toBe(userId);
    const third = await tokens.rotate(second.refreshToken);

    await expect(tokens.rotate(first)).rejects.toMatchObject({ kind: 'unauthenticated' });
    // The thief's reuse killed the family: even the newest token no longer works.
    await expect(tokens.rotate(third.refreshToken)).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });

  it('lets only one of two concurrent uses of a token win', async () => {
    const token = await tokens.issue(userId);
    const results = await Promise.allSettled([tokens.rotate(token), tokens.rotate(token)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses a token after logout', async () => {
    const token = await tokens.issue(userId);
    await tokens.revoke(token);
    await expect(tokens.rotate(token)).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });
});
