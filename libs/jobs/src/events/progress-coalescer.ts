/** Progress reports of this process as a whole stay near this many per second, however many jobs run. */
const TARGET_PER_SECOND = 20;
/** A job that reported nothing for this long no longer counts as active. */
const ACTIVE_FOR_MS = 2000;

interface JobSlot<U> {
  lastSentAt: number;
  lastOfferAt: number;
  pending?: U;
  timer?: NodeJS.Timeout;
}

/**
 * Progress under load: each job's updates go out at most once per interval, and an update that
 * arrives inside the interval is not dropped but kept as the job's latest and sent when the
 * interval ends (coalesced: only the newest survives). The interval is the base one (250 ms)
 * while few jobs run and grows with the number of active jobs so the process's total stays
 * near TARGET_PER_SECOND. Urgent updates (a job's last step, a preview) go at once; terminal
 * events never pass through here, and `forget` drops a job's pending update before them.
 */
export class ProgressCoalescer<U> {
  private readonly slots = new Map<string, JobSlot<U>>();

  constructor(
    private readonly send: (jobId: string, update: U) => Promise<void>,
    private readonly baseIntervalMs: number,
    private readonly onLateError: (jobId: string, error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current minimum time between two updates of one job. */
  intervalMs(): number {
    const now = this.now();
    let active = 0;
    for (const slot of this.slots.values()) if (now - slot.lastOfferAt < ACTIVE_FOR_MS) active++;
    return Math.max(this.baseIntervalMs, Math.ceil((active * 1000) / TARGET_PER_SECOND));
  }

  /** Sends now (awaited) when due or urgent; otherwise keeps it as the job's latest for the interval's end. */
  async offer(jobId: string, update: U, urgent: boolean): Promise<void> {
    const now = this.now();
    const slot = this.slots.get(jobId) ?? { lastSentAt: 0, lastOfferAt: now };
    slot.lastOfferAt = now;
    this.slots.set(jobId, slot);
    const wait = slot.lastSentAt + this.intervalMs() - now;
    if (urgent || wait <= 0) {
      this.clearPending(slot);
      slot.lastSentAt = now;
      await this.send(jobId, update);
      return;
    }
    slot.pending = update;
    slot.timer ??= setTimeout(() => this.flush(jobId), wait).unref();
  }

  /** The job ended (or stopped): its pending update is dropped, so nothing arrives after its final event. */
  forget(jobId: string): void {
    const slot = this.slots.get(jobId);
    if (slot) this.clearPending(slot);
    this.slots.delete(jobId);
  }

  /** Updates waiting for their interval to end (for tests and metrics). */
  pendingCount(): number {
    return [...this.slots.values()].filter((s) => s.pending !== undefined).length;
  }

  private flush(jobId: string): void {
    const slot = this.slots.get(jobId);
    if (!slot) return;
    slot.timer = undefined;
    const update = slot.pending;
    if (update === undefined) return;
    slot.pending = undefined;
    slot.lastSentAt = this.now();
    void this.send(jobId, update).catch((error: unknown) => this.onLateError(jobId, error));
  }

  private clearPending(slot: JobSlot<U>): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.pending = undefined;
  }
}
