/**
 * An attempt's time limit. When it runs out the attempt is asked to stop the way a cancel asks
 * (the handler sees `isCanceled()` true at its next step), so the worker's slot is held until the
 * handler really stopped and a retry never runs beside it.
 */
export class AttemptTimer {
  private timer: NodeJS.Timeout;
  private expiredAt: number | null = null;

  constructor(readonly budgetMs: number) {
    this.timer = setTimeout(() => (this.expiredAt = Date.now()), budgetMs);
    this.timer.unref();
  }

  get expired(): boolean {
    return this.expiredAt !== null;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
