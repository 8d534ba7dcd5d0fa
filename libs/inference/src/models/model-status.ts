import { Injectable } from '@nestjs/common';
import type { ModelStatus } from '@atelier/platform';
import { ModelCache } from '../runtime/model-cache';
import { jobTypesOf, remoteSpecOf } from '@atelier/models';
import { ModelRegistry } from './model-registry';
import { RemoteEngines } from '../remote/remote-engines';

/** Every registered model with its tier on this worker: hot (session loaded), warm (weights in RAM) or cold (on disk). */
@Injectable()
export class ModelStatusReporter {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly cache: ModelCache,
    private readonly remote: RemoteEngines,
  ) {}

  statuses(): ModelStatus[] {
    return this.registry.list().map((manifest) => {
      const spec = remoteSpecOf(manifest);
      const hosts = spec && this.remote.hostStates(manifest.id);
      if (spec && hosts) {
        // Always ready (nothing to load); healthy while some host takes traffic.
        const healthy = hosts.some((h) => h.healthy);
        return {
          id: manifest.id, pipeline: manifest.pipeline, jobTypes: jobTypesOf(manifest), description: manifest.description,
          state: 'hot', provider: spec.engine, sizeBytes: 0, healthy, engine: spec.engine, hosts,
          ...(healthy ? {} : { error: 'Every upstream host is ejected' }),
        };
      }
      const runtime = this.cache.status(manifest.id);
      return {
        id: manifest.id,
        pipeline: manifest.pipeline,
        jobTypes: jobTypesOf(manifest),
        description: manifest.description,
        state: runtime?.state ?? 'cold',
        provider: runtime?.provider ?? null,
        sizeBytes: manifest.files.reduce((sum, f) => sum + f.sizeBytes, 0),
        ...(runtime?.loadMs !== undefined ? { loadMs: runtime.loadMs } : {}),
        ...(runtime?.lastUsed ? { lastUsed: runtime.lastUsed.toISOString() } : {}),
        healthy: runtime?.healthy ?? true,
        ...(runtime?.error ? { error: runtime.error } : {}),
      };
    });
  }
}
