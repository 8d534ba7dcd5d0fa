import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HOUSEKEEPING_TASKS, type HousekeepingTask } from './housekeeping-task';

/**
 * Registers every housekeeping task as a SchedulerRegistry interval, its period from
 * configuration (a decorator's period would be fixed at compile time); ScheduleModule clears them
 * at shutdown. A failed run is logged and retried at the next tick; a run still going when the
 * next tick comes is not started twice.
 */
@Injectable()
export class HousekeepingScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Housekeeping');

  constructor(
    private readonly registry: SchedulerRegistry,
    @Inject(HOUSEKEEPING_TASKS) private readonly tasks: HousekeepingTask[],
  ) {}

  onApplicationBootstrap(): void {
    for (const task of this.tasks) {
      const tick = this.ticker(task);
      if (task.runAtStart) void tick();
      const timer = setInterval(() => void tick(), task.everyMs());
      timer.unref();
      this.registry.addInterval(task.name, timer);
    }
  }

  private ticker(task: HousekeepingTask): () => Promise<void> {
    let running = false;
    return async () => {
      if (running) return;
      running = true;
      try {
        await task.run();
      } catch (error) {
        this.logger.warn(`${task.name} failed; retrying at the next run: ${(error as Error).message}`);
      } finally {
        running = false;
      }
    };
  }
}
