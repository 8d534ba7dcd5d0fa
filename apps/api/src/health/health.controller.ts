import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, type SchemaObject } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@atelier/auth';
import { Unthrottled } from '../http/throttling/unthrottled.decorator';
import { ApiErrors } from '../openapi/api-errors';
import { WorkerHeartbeats } from '../workers/worker-heartbeats';
import { toWorkersView, WorkersView } from '../workers/worker.views';
import { RedisHealthIndicator } from './redis.health';
import { WorkersHealthIndicator } from './workers.health';
import { httpErrors } from '../http/http-errors';

const PROBE_TIMEOUT_MS = 2000;

const CHECK: SchemaObject = { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'degraded', 'down'] } }, additionalProperties: true };
const READY: SchemaObject = {
  type: 'object',
  description: "Terminus' result: `degraded` (still 200) when no worker takes jobs",
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    info: { type: 'object', additionalProperties: CHECK },
    error: { type: 'object', additionalProperties: CHECK },
    details: { type: 'object', properties: { postgres: CHECK, redis: CHECK, workers: CHECK } },
  },
};

/** Probes (public, never rate limited): live = the process runs; ready = it can serve (Postgres and Redis); workers = the pool. */
@Controller('health')
@Public()
@Unthrottled()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly workerHealth: WorkersHealthIndicator,
    private readonly heartbeats: WorkerHeartbeats,
  ) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process runs', schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when Postgres and Redis answer; the workers are reported without failing on them. Else 503 naming what failed. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Postgres and Redis answer; `details.workers` reports the pool', schema: READY })
  @ApiErrors([503, 'NOT_READY: details.failed names what failed, details.checks has every check'])
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.postgres.pingCheck('postgres', { timeout: PROBE_TIMEOUT_MS }),
        () => this.redis.pingCheck('redis', PROBE_TIMEOUT_MS),
        () => this.workerHealth.check('workers'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failed = Object.keys(result.error ?? {});
      const message = failed.length ? `Not ready: ${failed.join(', ')} failing` : 'Not ready: shutting down';
      throw httpErrors('NOT_READY', message, { failed, checks: result.details });
    }
  }

  @Get('workers')
  @ApiOkResponse({ type: WorkersView, description: 'The live workers (from their heartbeats) and whether any takes jobs' })
  @ApiErrors(503)
  async workers(): Promise<WorkersView> {
    return toWorkersView(await this.heartbeats.live());
  }
}
