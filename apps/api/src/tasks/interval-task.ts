import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A housekeeping job run every `intervalMs` (and once at start-up if `runAtStart`).
 * Failures are logged and retried at the next tick; the work itself must be safe to run
 * on several API instances at once (advisory locks, idempotent writes).
 */
export abstract class IntervalTask implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  protected abstract intervalMs(): number;
  protected abstract runOnce(): Promise<unknown>;
  protected readonly runAtStart: boolean = false;

  onApplicationBootstrap(): void {
    if (this.runAtStart) void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs());
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    try {
      await this.runOnce();
    } catch (error) {
      this.logger.warn(`failed; retrying at the next run: ${(error as Error).message}`);
    }
  }
}
