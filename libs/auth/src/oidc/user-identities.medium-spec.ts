import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/support/test-database';
import { UserEntity } from '../users/user.entity';
import { UserIdentities } from './user-identities';

const ISSUER = 'https://id.example.test';

describe('UserIdentities (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let identities: UserIdentities;

  beforeAll(async () => {
    db = await createTestDatabase([UserEntity]);
    identities = new UserIdentities(db.dataSource);
  });
  afterAll(() => db.destroy());

  it('makes one account and one link when the first two sign-ins of an identity race', async () => {
    const identity = { issuer: ISSUER, subject: 'race', email: 'Race@Example.test', emailVerified: true };
    const users = await Promise.all(Array.from({ length: 6 }, () => identities.accountOf(identity)));
    expect(new Set(users.map((u) => u.id)).size).toBe(1);
    expect(users[0]).toMatchObject({ email: 'race@example.test', passwordHash: null });
    expect(await db.environment.query(`SELECT user_id FROM user_identities WHERE subject = 'race'`)).toEqual([{ user_id: users[0].id }]);
  });

  it('links by verified email only, and a known subject signs in whatever its email says now', async () => {
    const [existing] = await db.environment.query<{ id: string }>(`INSERT INTO users (email, password_hash) VALUES ('ada@example.test', 'x') RETURNING id`);
    await expect(identities.accountOf({ issuer: ISSUER, subject: 'ada', email: 'ada@example.test', emailVerified: false })).rejects.toMatchObject({
      code: 'OIDC_EMAIL_UNVERIFIED',
      kind: 'forbidden',
    });
    await expect(identities.accountOf({ issuer: ISSUER, subject: 'no-email', emailVerified: true })).rejects.toMatchObject({ code: 'OIDC_EMAIL_UNVERIFIED' });
    expect((await identities.accountOf({ issuer: ISSUER, subject: 'ada', email: 'ada@example.test', emailVerified: true })).id).toBe(existing.id);
    expect((await identities.accountOf({ issuer: ISSUER, subject: 'ada', emailVerified: false })).id).toBe(existing.id);
    // The same subject at another issuer is another identity.
    await expect(identities.accountOf({ issuer: 'https://other.example.test', subject: 'ada', emailVerified: false })).rejects.toMatchObject({
      code: 'OIDC_EMAIL_UNVERIFIED',
    });
  });
});
