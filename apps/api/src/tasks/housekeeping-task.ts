/** One housekeeping job of the API: run every `everyMs()` (and at start-up if `runAtStart`). */
export interface HousekeepingTask {
  /** Its name in the SchedulerRegistry and in logs. */
  readonly name: string;
  readonly runAtStart?: boolean;
  everyMs(): number;
  /** Must be safe on several API instances at once (advisory locks, idempotent writes): every instance runs it. */
  run(): Promise<unknown>;
}

/** Multi-provider token: the tasks the housekeeping scheduler registers. */
export const HOUSEKEEPING_TASKS = Symbol('HOUSEKEEPING_TASKS');
