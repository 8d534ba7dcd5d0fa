import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Authenticated } from '@atelier/auth';
import { jobTypesOf, ModelCatalog, remoteSpecOf, sizeOf, upstreamsOf } from '@atelier/models';
import type { ModelStatus } from '@atelier/platform';
import { ApiErrors } from '../openapi/api-errors';
import { mergeHosts } from './merge-hosts';
import { ModelView } from './model.views';
import { WorkerHeartbeats } from '../workers/worker-heartbeats';

const RANK: Record<ModelStatus['state'], number> = { hot: 2, warm: 1, cold: 0 };
const NO_WORKER = 'No live worker reports this model: its jobs wait in the queue until one does';

/**
 * `GET /v1/models`: every declared model, with the warmest state across the live workers that
 * report it. A model no live worker reports is listed cold and not healthy: nothing can run it now.
 * The API reads the manifests (@atelier/models), never the inference engine.
 */
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly heartbeats: WorkerHeartbeats,
    private readonly catalog: ModelCatalog,
  ) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [ModelView], description: 'The warmest state across live workers; a model no worker reports is cold and unhealthy' })
  @ApiErrors(503)
  async list(): Promise<ModelView[]> {
    const merged = new Map<string, ModelView>();
    for (const m of this.catalog.list()) {
      const remote = remoteSpecOf(m);
      merged.set(m.id, {
        id: m.id, pipeline: m.pipeline, jobTypes: jobTypesOf(m), description: m.description, state: 'cold', provider: null,
        sizeBytes: sizeOf(m), healthy: false, error: NO_WORKER, workers: 0,
        ...(remote ? { engine: remote.engine, hosts: upstreamsOf(remote).map((url) => ({ url, healthy: false, ejectedUntil: null, inFlight: 0 })) } : {}),
      });
    }
    for (const worker of await this.heartbeats.live()) {
      for (const model of worker.models) {
        const known = merged.get(model.id);
        // A worker's report beats the manifest's default; among workers, the warmest state wins.
        const best = !known || known.workers === 0 || RANK[model.state] > RANK[known.state] ? model : known;
        const hosts = model.hosts ? mergeHosts(known?.workers ? known.hosts : undefined, model.hosts) : best.hosts;
        merged.set(model.id, { ...best, workers: (known?.workers ?? 0) + 1, ...(hosts ? { hosts, healthy: hosts.some((h) => h.healthy) } : {}) });
      }
    }
    return [...merged.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}

