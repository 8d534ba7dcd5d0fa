import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IdempotencyKeys } from './idempotency/idempotency-keys';
import { JobsRepository } from './jobs.repository';

/** Deletes finished jobs (and their webhook log) past retention, and Idempotency-Keys past 24 h. */
@Injectable()
export class JobRetention {
  private readonly logger = new Logger(JobRetention.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly keys: IdempotencyKeys,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async purge(retentionDays: number): Promise<{ jobs: number; keys: number }> {
    return this.dataSource.transaction(async (em) => {
      const jobs = await this.jobs.deleteFinishedBefore(em, retentionDays);
      // The webhook log goes with its job (webhook_deliveries has no foreign key, so it can outlive a purge).
      await em.query(`DELETE FROM webhook_deliveries d WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = d.job_id)`);
      const keys = await this.keys.purgeExpired(em);
      if (jobs || keys) this.logger.log({ jobs, keys }, 'purged old jobs and idempotency keys');
      return { jobs, keys };
    });
  }
}
