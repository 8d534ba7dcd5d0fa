import { Injectable } from '@nestjs/common';
import type { ModelStatus } from '@atelier/platform';
import { FaceDetector } from '../face-detection/face-detector';
import { ImageGenerator } from '../generation/image-generator';
import { jobTypesOf } from './model-manifest';
import { ModelRegistry } from './model-registry';

/** Every registered model with what this worker knows of it: hot (session loaded) or cold (on disk). */
@Injectable()
export class ModelStatusReporter {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly faces: FaceDetector,
    private readonly generator: ImageGenerator,
  ) {}

  statuses(): ModelStatus[] {
    const faces = this.faces.runtimeStatus();
    return this.registry.list().map((manifest) => {
      const runtime = manifest.id === faces.modelId ? faces : this.generator.runtimeStatus(manifest.id);
      const hot = Boolean(runtime?.provider) && !runtime?.error;
      return {
        id: manifest.id,
        pipeline: manifest.pipeline,
        jobTypes: jobTypesOf(manifest),
        description: manifest.description,
        state: hot ? 'hot' : 'cold',
        provider: runtime?.provider ?? null,
        sizeBytes: manifest.files.reduce((sum, f) => sum + f.sizeBytes, 0),
        ...(runtime?.loadMs !== undefined ? { loadMs: runtime.loadMs } : {}),
        ...(runtime?.lastUsed ? { lastUsed: runtime.lastUsed.toISOString() } : {}),
        healthy: !runtime?.error,
        ...(runtime?.error ? { error: runtime.error } : {}),
      };
    });
  }
}
