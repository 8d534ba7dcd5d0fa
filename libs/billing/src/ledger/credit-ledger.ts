import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { billingErrors } from '../billing-errors';

export interface Balance {
  balance: number;
  reserved: number;
}

type Rows = Array<Record<string, unknown>>;

/**
 * Credits as an append-only ledger plus a balance row updated in the same transaction.
 * Every job operation is idempotent (unique (job_id, kind)) and every balance change is a
 * conditional UPDATE guarded by a CHECK, so racing submits cannot overspend and a replayed
 * completion cannot charge twice.
 */
@Injectable()
export class CreditLedger {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds credits; with a period (e.g. "2026-11") at most once per user and period. */
  grant(userId: string, amount: number, reason: string, period: string | null = null, em?: EntityManager): Promise<boolean> {
    return this.inTransaction(em, async (tx) => {
      const inserted = (await tx.query(
        `INSERT INTO ledger_entries (user_id, kind, amount, reason, period) VALUES ($1, 'grant', $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [userId, amount, reason, period],
      )) as Rows;
      if (!inserted.length) return false;
      await tx.query(
        `INSERT INTO balances (user_id, balance) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET balance = balances.balance + $2, updated_at = now()`,
        [userId, amount],
      );
      return true;
    });
  }

  /**
   * Locks the user's balance row until the transaction ends, so two submits of one user are
   * serialised: a check made under the lock (e.g. the concurrency cap) still holds at commit.
   */
  async lockAccount(em: EntityManager, userId: string): Promise<void> {
    await em.query('SELECT 1 FROM balances WHERE user_id = $1 FOR UPDATE', [userId]);
  }

  /** Holds `amount` for a job; 402 when the available credits (balance − reserved) are short. */
  async reserve(em: EntityManager, userId: string, jobId: string, amount: number): Promise<void> {
    const updated = (await em.query(
      `UPDATE balances SET reserved = reserved + $2, updated_at = now()
       WHERE user_id = $1 AND balance - reserved >= $2 RETURNING balance`,
      [userId, amount],
    )) as [Rows, number];
    if (!updated[1]) {
      const { balance, reserved } = await this.balanceOf(userId, em);
      throw billingErrors('INSUFFICIENT_CREDITS', `This job costs ${amount} credits; ${balance - reserved} are available`, {
        cost: amount,
        available: balance - reserved,
      });
    }
    await em.query(`INSERT INTO ledger_entries (user_id, kind, amount, job_id) VALUES ($1, 'reserve', $2, $3)`, [userId, amount, jobId]);
  }

  /** Charges a job's reservation; a no-op if it was already captured or released. */
  capture(em: EntityManager, jobId: string): Promise<boolean> {
    return this.settle(em, jobId, 'capture', 'balance = balance - $2, reserved = reserved - $2');
  }

  /** Gives a job's reservation back; a no-op if it was already captured or released. */
  release(em: EntityManager, jobId: string): Promise<boolean> {
    return this.settle(em, jobId, 'release', 'reserved = reserved - $2');
  }

  async balanceOf(userId: string, em?: EntityManager): Promise<Balance> {
    const rows = (await (em ?? this.dataSource.manager).query(`SELECT balance, reserved FROM balances WHERE user_id = $1`, [userId])) as Rows;
    return rows.length ? { balance: Number(rows[0].balance), reserved: Number(rows[0].reserved) } : { balance: 0, reserved: 0 };
  }

  private async settle(em: EntityManager, jobId: string, kind: 'capture' | 'release', change: string): Promise<boolean> {
    // The unique index ledger_settled_once makes "captured or released, once" a database fact.
    const inserted = (await em.query(
      `INSERT INTO ledger_entries (user_id, kind, amount, job_id)
       SELECT r.user_id, $2, r.amount, r.job_id FROM ledger_entries r
       WHERE r.job_id = $1 AND r.kind = 'reserve'
       ON CONFLICT DO NOTHING RETURNING user_id, amount`,
      [jobId, kind],
    )) as Rows;
    if (!inserted.length) return false;
    await em.query(`UPDATE balances SET ${change}, updated_at = now() WHERE user_id = $1`, [inserted[0].user_id, inserted[0].amount]);
    return true;
  }

  private inTransaction<T>(em: EntityManager | undefined, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return em ? fn(em) : this.dataSource.transaction(fn);
  }
}
