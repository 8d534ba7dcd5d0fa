import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Authenticated } from '@atelier/auth';
import type { ModelStatus } from '@atelier/platform';
import { ApiErrors } from '../openapi/api-errors';
import { ModelCatalog } from './model-catalog';
import { ModelView } from './model.views';
import { WorkerHeartbeats } from '../workers/worker-heartbeats';

const RANK: Record<ModelStatus['state'], number> = { hot: 2, warm: 1, cold: 0 };

/**
 * `GET /v1/models`: every model the workers report, the warmest state across workers.
 * With no worker alive the manifests (plain data files) are listed as cold, so clients
 * still see what exists; the API never loads the inference engine.
 */
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly heartbeats: WorkerHeartbeats,
    private readonly catalog: ModelCatalog,
  ) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [ModelView], description: 'The warmest state across live workers; cold manifests when none is alive' })
  @ApiErrors(503)
  async list(): Promise<ModelView[]> {
    const merged = new Map<string, ModelStatus & { workers: number }>();
    for (const manifest of this.catalog.coldStatuses()) merged.set(manifest.id, { ...manifest, workers: 0 });
    for (const worker of await this.heartbeats.live().catch(() => [])) {
      for (const model of worker.models) {
        const known = merged.get(model.id);
        // A worker's report beats the manifest's cold default (it carries health and errors).
        const best = !known || known.workers === 0 || RANK[model.state] > RANK[known.state] ? model : known;
        merged.set(model.id, { ...best, workers: (known?.workers ?? 0) + 1 });
      }
    }
    return [...merged.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
