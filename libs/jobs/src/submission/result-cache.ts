import { Injectable } from '@nestjs/common';
import { ModelCatalog } from '@atelier/models';
import { ImagesService } from '@atelier/storage';
import type { JobEntity } from '../job.entity';
import { JobsRepository } from '../jobs.repository';
import { isDeterministic, resultCacheKey, type ResultCacheInput } from './result-cache-key';

/**
 * The result cache: a deterministic job identical to one of the same owner's that already
 * succeeded is answered with that job's outputs instead of running again. The jobs table is the
 * cache (its `cache_key` column), so retention and the owner's deletions bound it.
 */
@Injectable()
export class ResultCache {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly images: ImagesService,
    private readonly models: ModelCatalog,
  ) {}

  /** The key a job of this input is stored under, or null when its outputs may not be reused. */
  keyOf(what: ResultCacheInput): string | null {
    if (!isDeterministic(what.definition, what.input)) return null;
    return resultCacheKey(what, this.models);
  }

  /** The earlier succeeded job to reuse; none when an output image of it was deleted since. */
  async find(ownerId: string, cacheKey: string): Promise<JobEntity | null> {
    const earlier = await this.jobs.findCachedResult(ownerId, cacheKey);
    if (!earlier) return null;
    const imageIds = earlier.outputs.flatMap((o) => ('imageId' in o ? [o.imageId] : []));
    const owned = await this.images.ownedIds(ownerId, imageIds);
    return imageIds.every((id) => owned.has(id)) ? earlier : null;
  }
}
