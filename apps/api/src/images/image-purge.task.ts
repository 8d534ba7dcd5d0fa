import { Injectable } from '@nestjs/common';
import { AppConfig } from '@atelier/platform';
import { ImagePurge } from '@atelier/storage';
import { IntervalTask } from '../tasks/interval-task';

/** Hourly: removes images deleted longer ago than IMAGE_RETENTION_DAYS and the blobs nothing uses. */
@Injectable()
export class ImagePurgeTask extends IntervalTask {
  constructor(
    private readonly purge: ImagePurge,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return 3600_000;
  }

  protected runOnce(): Promise<unknown> {
    return this.purge.purge(this.config.imageRetentionDays);
  }
}
