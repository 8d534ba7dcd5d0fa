import { Injectable } from '@nestjs/common';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { detectCorruption } from '../vision/corruption-detector';
import type { ContextOf, JobHandler } from './job-handler';

/** `detect-corruption`: the classical detector's report on the stored image (see vision/corruption-detector.ts). */
@Injectable()
export class DetectCorruptionHandler implements JobHandler<'detect-corruption'> {
  readonly definition = JOB_TYPE_BY_NAME['detect-corruption'];

  constructor(private readonly images: ImagesService) {}

  async run({ job, input, reportProgress }: ContextOf<'detect-corruption'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 2);
    return [{ kind: 'json', data: await detectCorruption(source) }];
  }
}
