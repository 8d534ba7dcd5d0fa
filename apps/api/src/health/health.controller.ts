import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, type SchemaObject } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '@atelier/auth';
import { WorkerHeartbeats } from '../models/worker-heartbeats';
import { ApiErrors } from '../openapi/api-errors';

type Check = { status: 'ok' | 'down'; detail?: string };

const CHECK: SchemaObject = { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok', 'down'] }, detail: { type: 'string' } } };
const READY: SchemaObject = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok'] },
    checks: { type: 'object', properties: { postgres: CHECK, redis: CHECK, workers: CHECK } },
  },
};

@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly heartbeats: WorkerHeartbeats,
  ) {}

  @Public()
  @Get('live')
  @ApiOkResponse({ description: 'The process runs', schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 only when Postgres, Redis and at least one worker heartbeat are OK; else 503 naming what failed. */
  @Public()
  @Get('ready')
  @ApiOkResponse({ description: 'Postgres, Redis and a worker heartbeat are OK', schema: READY })
  @ApiErrors([503, 'NOT_READY: details.checks names what failed'])
  async ready(@Res() response: Response): Promise<void> {
    const within = <T>(promise: Promise<T>) => Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
    const check = async (probe: () => Promise<unknown>): Promise<Check> => {
      try {
        await within(probe());
        return { status: 'ok' };
      } catch (error) {
        return { status: 'down', detail: (error as Error).message };
      }
    };
    const [postgres, redis, workers] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.heartbeats.redis.ping()),
      check(async () => {
        const live = await this.heartbeats.live();
        if (!live.length) throw new Error('no worker heartbeat');
      }),
    ]);
    const checks = { postgres, redis, workers };
    const failed = Object.entries(checks).filter(([, c]) => c.status !== 'ok').map(([name]) => name);
    if (!failed.length) {
      response.status(200).json({ status: 'ok', checks });
      return;
    }
    response.status(503).json({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'NOT_READY',
      message: `Not ready: ${failed.join(', ')} failing`,
      details: { checks },
    });
  }
}
