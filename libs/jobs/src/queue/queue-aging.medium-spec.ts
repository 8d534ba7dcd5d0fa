import Bull from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/support/test-database';
import { JobEntity } from '../job.entity';
import { JobsRepository } from '../jobs.repository';
import { LaneQueues } from './lane-queues';
import { QueueAging } from './queue-aging';
import type { QueuedJobPayload } from './queue-names';

describe('QueueAging (real Postgres and Redis)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let gpu: Bull.Queue<QueuedJobPayload>;
  let cpu: Bull.Queue<QueuedJobPayload>;
  let light: Bull.Queue<QueuedJobPayload>;
  const ownerId = '00000000-0000-4000-8000-0000000000aa';

  beforeAll(async () => {
    db = await createTestDatabase([JobEntity]);
    const options = { redis: db.environment.redisUrl, prefix: `${db.environment.redisPrefix}bull` };
    gpu = new Bull('gpu', options);
    cpu = new Bull('cpu', options);
    light = new Bull('gpu-light', options);
  });
  afterAll(async () => {
    await Promise.all([gpu.close(), cpu.close(), light.close()]);
    await db.destroy();
  });

  const queued = async (ageSeconds: number, priority: number) => {
    const [row] = await db.environment.query<{ id: string }>(
      `INSERT INTO jobs (owner_id, type, lane, status, input, priority, created_at)
       VALUES ($1, 'resize', 'cpu', 'queued', '{}', $2, now() - make_interval(secs => $3)) RETURNING id`,
      [ownerId, priority, ageSeconds],
    );
    await cpu.add({ jobId: row.id, ownerId }, { jobId: row.id, priority: 4 - priority });
    return row.id;
  };

  it('promotes free jobs that waited too long, in Bull and in the row, and leaves young ones', async () => {
    const old = await queued(600, 1);
    const young = await queued(1, 1);
    const aging = new QueueAging(new LaneQueues(gpu, light, cpu), new JobsRepository(db.dataSource.getRepository(JobEntity)), db.dataSource);
    expect(await aging.promoteOlderThan(60)).toBe(1);
    expect((await cpu.getJob(old))?.opts.priority).toBe(1);
    expect((await cpu.getJob(young))?.opts.priority).toBe(3);
    const rows = await db.environment.query<{ id: string; priority: number }>('SELECT id, priority FROM jobs');
    expect(Object.fromEntries(rows.map((r) => [r.id, r.priority]))).toEqual({ [old]: 3, [young]: 1 });
    // Run twice: nothing more to do.
    expect(await aging.promoteOlderThan(60)).toBe(0);
  });
});
