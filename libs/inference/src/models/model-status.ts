import { Injectable } from '@nestjs/common';
import type { ModelStatus } from '@atelier/platform';
import { ModelCache } from '../runtime/model-cache';
import { jobTypesOf } from '@atelier/models';
import { ModelRegistry } from './model-registry';

/** Every registered model with its tier on this worker: hot (session loaded), warm (weights in RAM) or cold (on disk). */
@Injectable()
export class ModelStatusReporter {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly cache: ModelCache,
  ) {}

  statuses(): ModelStatus[] {
    return this.registry.list().map((manifest) => {
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
