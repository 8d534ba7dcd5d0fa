import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, type ModelStatus } from '@atelier/platform';

interface ManifestSummary {
  id: string;
  pipeline: string;
  jobTypes?: string[];
  description: string;
  files: Array<{ sizeBytes: number }>;
}

/**
 * The models this install declares, read from the manifests (plain JSON; the API never loads the
 * inference engine). Used to list models with no worker alive and to refuse an unknown model at
 * submit with a 422 instead of a job that fails later.
 */
@Injectable()
export class ModelCatalog {
  private cached?: ManifestSummary[];

  constructor(private readonly config: AppConfig) {}

  /** Every declared model as cold, for `GET /v1/models`. */
  coldStatuses(): ModelStatus[] {
    return this.manifests().map((m) => ({
      id: m.id, pipeline: m.pipeline, jobTypes: m.jobTypes ?? [m.pipeline], description: m.description, state: 'cold', provider: null,
      sizeBytes: m.files.reduce((s, f) => s + f.sizeBytes, 0), healthy: true,
    }));
  }

  /** Whether a manifest declares this model. */
  has(modelId: string): boolean {
    return this.manifests().some((m) => m.id === modelId);
  }

  /** 422 when a job names a model that does not exist or does not do its type. */
  checkJobModel(body: unknown): void {
    const { type, model } = (body ?? {}) as { type?: unknown; model?: unknown };
    if (typeof model !== 'string' || typeof type !== 'string') return;
    const manifests = this.manifests();
    if (manifests.length === 0) return;
    const manifest = manifests.find((m) => m.id === model);
    if (!manifest) {
      throw new DomainError('invalid', 'INVALID_JOB', `Unknown model ${model}`, { field: 'model', known: manifests.map((m) => m.id) });
    }
    const types = manifest.jobTypes ?? [manifest.pipeline];
    if (!types.includes(type)) {
      throw new DomainError('invalid', 'INVALID_JOB', `Model ${model} does not do ${type} (it does ${types.join(', ')})`, { field: 'model' });
    }
  }

  private manifests(): ManifestSummary[] {
    if (this.cached) return this.cached;
    const dir = resolve(this.config.modelManifestsDir);
    try {
      this.cached = readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ManifestSummary);
    } catch {
      return [];
    }
    return this.cached;
  }
}
