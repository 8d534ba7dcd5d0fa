import { Injectable } from '@nestjs/common';
import { AppConfig } from '@atelier/platform';
import { ImagePurge } from '@atelier/storage';
import type { HousekeepingTask } from '../tasks/housekeeping-task';

/** Every IMAGE_PURGE_INTERVAL_SECONDS (hourly): removes images deleted longer ago than IMAGE_RETENTION_DAYS and the blobs nothing uses. */
@Injectable()
export class ImagePurgeTask implements HousekeepingTask {
  readonly name = 'image-purge';

  constructor(
    private readonly purge: ImagePurge,
    private readonly config: AppConfig,
  ) {}

  everyMs(): number {
    return this.config.imagePurgeIntervalMs;
  }

  run(): Promise<unknown> {
    return this.purge.purge(this.config.imageRetentionDays);
  }
}
