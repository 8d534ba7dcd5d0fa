import type { TestEnvironment } from './test-environment';
import { waitFor } from './wait-for';

/** What a chaos run lost or got wrong; every count must be 0. */
export interface LedgerLosses {
  /** Jobs still queued or running once the system settled. */
  jobsNotFinal: number;
  /** Jobs without their one reservation. */
  jobsWithoutReservation: number;
  /** Succeeded jobs not captured exactly once (or also released); ended jobs not released exactly once (or also captured). */
  jobsSettledWrongly: number;
  /** Reservations neither settled nor belonging to an existing job. */
  openReservationsWithoutJob: number;
  /** Users whose balances.reserved is not the sum of their open reservations. */
  reservedMismatches: number;
  /** Users whose balances.balance is not grants + refunds − captures. */
  balanceMismatches: number;
}

export interface LedgerAudit {
  jobs: number;
  byStatus: Record<string, number>;
  /** Reservations released because their job was undone at submit (the queue refused it): they have no job, by design. */
  undoneSubmits: number;
  lost: LedgerLosses;
}

export const NOTHING_LOST: LedgerLosses = {
  jobsNotFinal: 0,
  jobsWithoutReservation: 0,
  jobsSettledWrongly: 0,
  openReservationsWithoutJob: 0,
  reservedMismatches: 0,
  balanceMismatches: 0,
};

/**
 * Audits jobs against the credit ledger for these users: every job in one final state with
 * one reservation settled once (captured if it succeeded, released otherwise), no open
 * reservation without its job, and each balance row equal to what its ledger adds up to.
 * Runs that audit submit with `cache: false`: an answer from the result cache is settled at its
 * own price (no ledger entry when free), not by a reservation.
 */
export async function auditLedger(environment: Pick<TestEnvironment, 'query'>, userIds: string[]): Promise<LedgerAudit> {
  const jobs = await environment.query<{ id: string; status: string; reserves: number; captures: number; releases: number }>(
    `SELECT j.id, j.status,
            count(*) FILTER (WHERE l.kind = 'reserve')::int AS reserves,
            count(*) FILTER (WHERE l.kind = 'capture')::int AS captures,
            count(*) FILTER (WHERE l.kind = 'release')::int AS releases
     FROM jobs j LEFT JOIN ledger_entries l ON l.job_id = j.id
     WHERE j.owner_id = ANY($1) GROUP BY j.id, j.status`,
    [userIds],
  );
  const [orphans] = await environment.query<{ open: number; undone: number }>(
    `SELECT count(*) FILTER (WHERE NOT settled)::int AS open, count(*) FILTER (WHERE settled)::int AS undone
     FROM (SELECT r.job_id, EXISTS (SELECT 1 FROM ledger_entries s WHERE s.job_id = r.job_id AND s.kind IN ('capture', 'release')) AS settled
           FROM ledger_entries r WHERE r.kind = 'reserve' AND r.user_id = ANY($1)
             AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id)) o`,
    [userIds],
  );
  const accounts = await environment.query<{ balance: number; reserved: number; open_reserved: number; ledger_balance: number }>(
    `SELECT b.balance, b.reserved,
            (SELECT coalesce(sum(r.amount), 0)::int FROM ledger_entries r WHERE r.user_id = b.user_id AND r.kind = 'reserve'
               AND NOT EXISTS (SELECT 1 FROM ledger_entries s WHERE s.job_id = r.job_id AND s.kind IN ('capture', 'release'))) AS open_reserved,
            (SELECT coalesce(sum(CASE WHEN kind IN ('grant', 'refund') THEN amount WHEN kind = 'capture' THEN -amount ELSE 0 END), 0)::int
               FROM ledger_entries e WHERE e.user_id = b.user_id) AS ledger_balance
     FROM balances b WHERE b.user_id = ANY($1)`,
    [userIds],
  );
  const byStatus: Record<string, number> = {};
  for (const job of jobs) byStatus[job.status] = (byStatus[job.status] ?? 0) + 1;
  const settledRight = (job: (typeof jobs)[number]) =>
    job.status === 'succeeded' ? job.captures === 1 && job.releases === 0 : job.releases === 1 && job.captures === 0;
  return {
    jobs: jobs.length,
    byStatus,
    undoneSubmits: orphans.undone,
    lost: {
      jobsNotFinal: jobs.filter((j) => j.status === 'queued' || j.status === 'running').length,
      jobsWithoutReservation: jobs.filter((j) => j.reserves !== 1).length,
      jobsSettledWrongly: jobs.filter((j) => !['queued', 'running'].includes(j.status) && !settledRight(j)).length,
      openReservationsWithoutJob: orphans.open,
      reservedMismatches: accounts.filter((a) => a.reserved !== a.open_reserved).length,
      balanceMismatches: accounts.filter((a) => a.balance !== a.ledger_balance).length,
    },
  };
}

/** Waits until none of these users' jobs is queued or running (or the time is up), then audits. */
export async function settleAndAudit(environment: Pick<TestEnvironment, 'query'>, userIds: string[], timeoutMs = 40_000): Promise<LedgerAudit> {
  const open = async () =>
    (await environment.query<{ open: number }>(`SELECT count(*)::int AS open FROM jobs WHERE owner_id = ANY($1) AND status IN ('queued', 'running')`, [userIds]))[0].open;
  // A timeout is not thrown here: the audit counts the jobs that did not end.
  await waitFor(async () => (await open()) === 0, { timeoutMs, intervalMs: 250, what: 'every job to end' }).catch(() => undefined);
  return auditLedger(environment, userIds);
}
