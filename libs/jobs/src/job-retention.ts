import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Deletes finished jobs (and their webhook log) past retention, and Idempotency-Keys past 24 h. */
@Injectable()
export class JobRetention {
  private readonly logger = new Logger(JobRetention.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async purge(retentionDays: number): Promise<{ jobs: number; keys: number }> {
    return this.dataSource.transaction(async (em) => {
      const [, jobs] = (await em.query(
        `DELETE FROM jobs WHERE status IN ('succeeded', 'failed', 'canceled') AND finished_at < now() - make_interval(days => $1)`,
        [retentionDays],
      )) as [unknown, number];
      await em.query(`DELETE FROM webhook_deliveries d WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = d.job_id)`);
      const [, keys] = (await em.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'`)) as [unknown, number];
      if (jobs || keys) this.logger.log({ jobs, keys }, 'purged old jobs and idempotency keys');
      return { jobs, keys };
    });
  }
}
