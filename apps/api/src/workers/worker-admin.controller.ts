import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse } from '@nestjs/swagger';
import { Authenticated } from '@atelier/auth';
import { WorkerControl } from '@atelier/jobs';
import { ModelCatalog } from '@atelier/models';
import { ApiErrors } from '../openapi/api-errors';
import { workerAdminErrors } from './worker-admin-errors';
import { ModelCommandDto } from './worker-admin.dto';
import { WorkerHeartbeats } from './worker-heartbeats';
import { WorkerCommandView } from './worker.views';

const workerNotFound = () => workerAdminErrors('WORKER_NOT_FOUND', 'No live worker with this id (GET /health/workers lists them)');
const workerUuid = new ParseUUIDPipe({ exceptionFactory: workerNotFound });

/**
 * Operators' control of the workers, sent as control messages over Redis (202: sent; the
 * heartbeat in GET /health/workers and GET /v1/models shows the effect within moments). In the
 * spirit of ComfyUI's `POST /free`.
 */
@Controller('v1/admin')
@Authenticated({ admin: true })
@ApiErrors(400, [503, 'CONTROL_UNAVAILABLE: Redis is down'])
export class WorkerAdminController {
  constructor(
    private readonly control: WorkerControl,
    private readonly heartbeats: WorkerHeartbeats,
    private readonly catalog: ModelCatalog,
  ) {}

  @Post('workers/:id/drain')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WorkerCommandView, description: 'The worker finishes its running jobs and takes no new ones until resumed' })
  @ApiErrors([404, 'WORKER_NOT_FOUND'])
  async drain(@Param('id', workerUuid) workerId: string): Promise<WorkerCommandView> {
    await this.assertLive(workerId);
    await this.control.drain(workerId);
    return { command: 'drain', workerId };
  }

  @Post('workers/:id/resume')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WorkerCommandView, description: 'The worker takes jobs again' })
  @ApiErrors([404, 'WORKER_NOT_FOUND'])
  async resume(@Param('id', workerUuid) workerId: string): Promise<WorkerCommandView> {
    await this.assertLive(workerId);
    await this.control.resume(workerId);
    return { command: 'resume', workerId };
  }

  @Post('models/:id/preload')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WorkerCommandView, description: 'The model is loaded hot on that worker, or on every worker that serves it' })
  @ApiErrors([404, 'MODEL_NOT_FOUND or WORKER_NOT_FOUND'])
  async preload(@Param('id') modelId: string, @Body() body: ModelCommandDto): Promise<WorkerCommandView> {
    const workerId = body?.workerId; // the body is optional
    await this.assertTargets(modelId, workerId);
    await this.control.preloadModel(modelId, workerId);
    return { command: 'preload', modelId, ...(workerId ? { workerId } : {}) };
  }

  @Post('models/:id/unload')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WorkerCommandView, description: 'The model session and weights are released (a model in use is released when idle)' })
  @ApiErrors([404, 'MODEL_NOT_FOUND or WORKER_NOT_FOUND'])
  async unload(@Param('id') modelId: string, @Body() body: ModelCommandDto): Promise<WorkerCommandView> {
    const workerId = body?.workerId; // the body is optional
    await this.assertTargets(modelId, workerId);
    await this.control.unloadModel(modelId, workerId);
    return { command: 'unload', modelId, ...(workerId ? { workerId } : {}) };
  }

  private async assertTargets(modelId: string, workerId: string | undefined): Promise<void> {
    if (!this.catalog.find(modelId)) throw workerAdminErrors('MODEL_NOT_FOUND', `Unknown model ${modelId.slice(0, 100)} (GET /v1/models lists them)`);
    if (workerId) await this.assertLive(workerId);
  }

  private async assertLive(workerId: string): Promise<void> {
    if (!(await this.heartbeats.find(workerId))) throw workerNotFound();
  }
}
