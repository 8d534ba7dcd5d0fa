import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/support/test-database';
import { CreditLedger } from './credit-ledger';

describe('CreditLedger (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ledger: CreditLedger;

  beforeAll(async () => {
    db = await createTestDatabase([]);
    ledger = new CreditLedger(db.dataSource);
  });
  afterAll(() => db.destroy());

  it('lets exactly 5 of 20 concurrent reservations through on credits for 5', async () => {
    const userId = randomUUID();
    await ledger.grant(userId, 5, 'exactly five');
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, () => db.dataSource.transaction((em) => ledger.reserve(em, userId, randomUUID(), 1))),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(5);
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused.every((a) => a.reason.code === 'INSUFFICIENT_CREDITS' && a.reason.kind === 'payment_required')).toBe(true);
    expect(await ledger.balanceOf(userId)).toEqual({ balance: 5, reserved: 5 });
  });

  it('settles a reservation once: capture or release, never both, never twice', async () => {
    const userId = randomUUID();
    const jobId = randomUUID();
    await ledger.grant(userId, 10, 'ten');
    await db.dataSource.transaction((em) => ledger.reserve(em, userId, jobId, 4));
    const outcomes = await Promise.all([
      db.dataSource.transaction((em) => ledger.capture(em, jobId)),
      db.dataSource.transaction((em) => ledger.release(em, jobId)),
      db.dataSource.transaction((em) => ledger.capture(em, jobId)),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const { balance, reserved } = await ledger.balanceOf(userId);
    expect(reserved).toBe(0);
    expect([6, 10]).toContain(balance);
  });

  it('grants a monthly period once, and keeps the ledger append-only', async () => {
    const userId = randomUUID();
    expect(await ledger.grant(userId, 7, 'monthly', '2026-11')).toBe(true);
    expect(await ledger.grant(userId, 7, 'monthly', '2026-11')).toBe(false);
    expect(await ledger.balanceOf(userId)).toEqual({ balance: 7, reserved: 0 });
    await expect(db.environment.query(`UPDATE ledger_entries SET amount = 1000 WHERE user_id = $1`, [userId])).rejects.toThrow(/append-only/);
  });
});
