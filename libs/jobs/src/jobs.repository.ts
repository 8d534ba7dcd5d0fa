import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@atelier/platform';
import { JobEntity, type JobStatus } from './job.entity';
import { typesInQueueOf } from './types/job-types';

/** Column values, or SQL expressions such as `() => 'attempts + 1'`. */
export type JobChanges = { [K in keyof JobEntity]?: JobEntity[K] | (() => string) };

export interface JobFilter {
  status?: JobStatus;
  type?: string;
}

/** A job as the queue housekeeping needs it. */
export interface QueuedJobRef {
  id: string;
  ownerId: string;
  lane: JobEntity['lane'];
  type: JobEntity['type'];
  priority: number;
}

/**
 * All SQL on the jobs table: submission, the lifecycle, the API's reads and the housekeeping
 * (aging, reconciliation, retention, statistics). Every state change is conditional on the
 * expected state. (The API's TemplateStats reads `jobs` in a join of its own: a read, not a write.)
 */
@Injectable()
export class JobsRepository {
  constructor(@InjectRepository(JobEntity) private readonly jobs: Repository<JobEntity>) {}

  private repo(em?: EntityManager): Repository<JobEntity> {
    return em ? em.getRepository(JobEntity) : this.jobs;
  }

  insert(job: Partial<JobEntity>, em?: EntityManager): Promise<JobEntity> {
    const repo = this.repo(em);
    return repo.save(repo.create(job));
  }

  async deleteById(id: string, em?: EntityManager): Promise<void> {
    await this.repo(em).delete({ id });
  }

  findById(id: string): Promise<JobEntity | null> {
    return this.jobs.findOneBy({ id });
  }

  findOwned(ownerId: string, id: string): Promise<JobEntity | null> {
    return this.jobs.findOneBy({ id, ownerId });
  }

  countActive(ownerId: string, em?: EntityManager): Promise<number> {
    return this.repo(em).countBy({ ownerId, status: In(['queued', 'running']) });
  }

  /** Waiting jobs of the same queue (lane and class) that run before this one: higher priority, or same priority and older. */
  async countAhead(job: Pick<JobEntity, 'lane' | 'type' | 'priority' | 'createdAt'>): Promise<number> {
    return this.jobs
      .createQueryBuilder('j')
      .where(`j.lane = :lane AND j.type IN (:...types) AND j.status = 'queued'`, { lane: job.lane, types: typesInQueueOf(job.type) })
      .andWhere('(j.priority > :priority OR (j.priority = :priority AND j.created_at < :createdAt))', {
        priority: job.priority,
        createdAt: job.createdAt,
      })
      .getCount();
  }

  /** The owner's other jobs waiting in the same queue as this type (fair ordering within a class). */
  countOwnWaiting(ownerId: string, type: JobEntity['type'], exceptId: string): Promise<number> {
    return this.jobs
      .createQueryBuilder('j')
      .where(`j.owner_id = :ownerId AND j.type IN (:...types) AND j.status = 'queued' AND j.id <> :exceptId`, { ownerId, types: typesInQueueOf(type), exceptId })
      .getCount();
  }

  /** Own jobs, newest first, keyset-paginated. */
  async page(ownerId: string, filter: JobFilter, cursor: string | undefined, limit: number): Promise<Page<JobEntity>> {
    const after = decodeCursor(cursor);
    const query = this.jobs.createQueryBuilder('j').where('j.owner_id = :ownerId', { ownerId });
    if (filter.status) query.andWhere('j.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('j.type = :type', { type: filter.type });
    if (after) query.andWhere('(j.created_at, j.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await query.orderBy('j.created_at', 'DESC').addOrderBy('j.id', 'DESC').limit(limit + 1).getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }

  /** Moves a job from one of `from` to a new state; returns the updated row, or null if it was not in `from`. */
  async transition(id: string, from: JobStatus[], changes: JobChanges, em?: EntityManager): Promise<JobEntity | null> {
    const result = await this.repo(em)
      .createQueryBuilder()
      .update(JobEntity)
      .set(changes as never)
      .where({ id, status: In(from) })
      .returning('*')
      .execute();
    const raw = (result.raw as Record<string, unknown>[])[0];
    return raw ? this.jobs.create(fromRaw(raw)) : null;
  }

  /** Sets the overall deadline at the first start (`ms` from now) and returns it; later starts keep the first one. */
  async fixDeadline(id: string, ms: number): Promise<Date> {
    const [rows] = (await this.jobs.query(
      `UPDATE jobs SET deadline_at = COALESCE(deadline_at, now() + make_interval(secs => $2::double precision / 1000)) WHERE id = $1 RETURNING deadline_at`,
      [id, ms],
    )) as [Array<{ deadline_at: Date }>, number];
    return rows[0].deadline_at;
  }

  async saveProgress(id: string, progress: JobEntity['progress']): Promise<void> {
    await this.jobs.update({ id, status: 'running' }, { progress });
  }

  /** Queued jobs below `priority` that have waited longer than `seconds` (QueueAging). */
  async waitingLongerThan(em: EntityManager, seconds: number, priority: number, limit: number): Promise<Array<Pick<QueuedJobRef, 'id' | 'type'>>> {
    return (await em.query(
      `SELECT id, type FROM jobs WHERE status = 'queued' AND priority < $1 AND created_at < now() - make_interval(secs => $2) LIMIT $3`,
      [priority, seconds, limit],
    )) as Array<Pick<QueuedJobRef, 'id' | 'type'>>;
  }

  /** Raises a still-queued job's priority, so its queue position agrees with Bull's order. */
  async promote(em: EntityManager, id: string, priority: number): Promise<void> {
    await em.query(`UPDATE jobs SET priority = $2 WHERE id = $1 AND status = 'queued'`, [id, priority]);
  }

  /** Unfinished jobs accepted more than `seconds` ago, oldest first (QueueReconciler). */
  async unfinishedOlderThan(em: EntityManager, seconds: number, limit: number): Promise<QueuedJobRef[]> {
    const rows = (await em.query(
      `SELECT id, owner_id, lane, type, priority FROM jobs
       WHERE status IN ('queued', 'running') AND created_at < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT $2`,
      [seconds, limit],
    )) as Array<{ id: string; owner_id: string; lane: QueuedJobRef['lane']; type: QueuedJobRef['type']; priority: number }>;
    return rows.map((r) => ({ id: r.id, ownerId: r.owner_id, lane: r.lane, type: r.type, priority: r.priority }));
  }

  /** Deletes finished jobs older than `days`; returns how many (JobRetention). */
  async deleteFinishedBefore(em: EntityManager, days: number): Promise<number> {
    const [, deleted] = (await em.query(
      `DELETE FROM jobs WHERE status IN ('succeeded', 'failed', 'canceled') AND finished_at < now() - make_interval(days => $1)`,
      [days],
    )) as [unknown, number];
    return deleted;
  }

  /** The newest succeeded job of the owner with this result cache key (the result cache's candidate). */
  findCachedResult(ownerId: string, cacheKey: string): Promise<JobEntity | null> {
    return this.jobs
      .createQueryBuilder('j')
      .where(`j.owner_id = :ownerId AND j.cache_key = :cacheKey AND j.status = 'succeeded'`, { ownerId, cacheKey })
      .orderBy('j.finished_at', 'DESC')
      .getOne();
  }

  /** Job rows by type and status, for metrics. */
  async countsByTypeAndStatus(): Promise<Array<{ type: string; status: string; count: number }>> {
    return (await this.jobs.query(`SELECT type, status, count(*)::int AS count FROM jobs GROUP BY type, status`)) as Array<{ type: string; status: string; count: number }>;
  }
}

/** RETURNING gives snake_case columns; map them back onto the entity's properties. */
function fromRaw(raw: Record<string, unknown>): Partial<JobEntity> {
  return {
    id: raw.id as string,
    ownerId: raw.owner_id as string,
    type: raw.type as JobEntity['type'],
    model: raw.model as string | null,
    lane: raw.lane as JobEntity['lane'],
    status: raw.status as JobStatus,
    input: raw.input as JobEntity['input'],
    outputs: raw.outputs as JobEntity['outputs'],
    progress: raw.progress as JobEntity['progress'],
    webhookUrl: raw.webhook_url as string | null,
    error: raw.error as JobEntity['error'],
    cost: raw.cost as number,
    priority: raw.priority as number,
    attempts: raw.attempts as number,
    templateId: (raw.template_id as string | null) ?? null,
    templateVersion: (raw.template_version as number | null) ?? null,
    // bigint arrives as a string here too.
    storageQuotaBytes: raw.storage_quota_bytes === null || raw.storage_quota_bytes === undefined ? null : Number(raw.storage_quota_bytes),
    createdAt: raw.created_at as Date,
    startedAt: raw.started_at as Date | null,
    finishedAt: raw.finished_at as Date | null,
    cacheKey: (raw.cache_key as string | null) ?? null,
    cached: (raw.cached as boolean | undefined) ?? false,
    modelUsed: (raw.model_used as string | null) ?? null,
    degraded: (raw.degraded as boolean | undefined) ?? false,
    deadlineAt: (raw.deadline_at as Date | null) ?? null,
  };
}
