import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { jobErrors } from '../job-errors';

/** Keys older than this are forgotten: the same key then makes a new job. */
const KEY_TTL_HOURS = 24;

/** Stable across key order, so the same JSON body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: unknown) => createHash('sha256').update(canonical(body)).digest('hex');

/** `Idempotency-Key`: the same key and body give the same job; the same key with another body is a 409. */
@Injectable()
export class IdempotencyKeys {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  validate(key: string): void {
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw jobErrors('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1–200 visible ASCII characters');
    }
  }

  /** The job an earlier request with this key made, or null; 409 if that request had another body. */
  async find(ownerId: string, key: string, hash: string): Promise<string | null> {
    const rows = (await this.dataSource.query(
      `SELECT request_hash, job_id FROM idempotency_keys
       WHERE owner_id = $1 AND key = $2 AND created_at > now() - make_interval(hours => $3)`,
      [ownerId, key, KEY_TTL_HOURS],
    )) as Array<{ request_hash: string; job_id: string }>;
    if (!rows.length) return null;
    if (rows[0].request_hash !== hash) {
      throw jobErrors('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body');
    }
    return rows[0].job_id;
  }

  /** Forgets keys past their 24 h (JobRetention); returns how many. */
  async purgeExpired(em: EntityManager): Promise<number> {
    const [, deleted] = (await em.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [KEY_TTL_HOURS])) as [unknown, number];
    return deleted;
  }

  /** Undoes `record` when the job it named could not be queued, so the key can be used again. */
  async forget(em: EntityManager, ownerId: string, key: string): Promise<void> {
    await em.query('DELETE FROM idempotency_keys WHERE owner_id = $1 AND key = $2', [ownerId, key]);
  }

  /** Records the key in the job's transaction; false if a concurrent request took it first. */
  async record(em: EntityManager, ownerId: string, key: string, hash: string, jobId: string): Promise<boolean> {
    await em.query(`DELETE FROM idempotency_keys WHERE owner_id = $1 AND key = $2 AND created_at <= now() - make_interval(hours => $3)`, [
      ownerId, key, KEY_TTL_HOURS,
    ]);
    const rows = (await em.query(
      `INSERT INTO idempotency_keys (owner_id, key, request_hash, job_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING job_id`,
      [ownerId, key, hash, jobId],
    )) as unknown[];
    return rows.length > 0;
  }
}
