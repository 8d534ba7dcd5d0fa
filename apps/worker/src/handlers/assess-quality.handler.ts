import { Injectable } from '@nestjs/common';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { assessQuality } from '../vision/quality-assessment';
import type { ContextOf, JobHandler } from './job-handler';

/** `assess-quality`: the no-reference estimate of the stored image (see vision/quality-assessment.ts). */
@Injectable()
export class AssessQualityHandler implements JobHandler<'assess-quality'> {
  readonly definition = JOB_TYPE_BY_NAME['assess-quality'];

  constructor(private readonly images: ImagesService) {}

  async run({ job, input, reportProgress }: ContextOf<'assess-quality'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 2);
    return [{ kind: 'json', data: await assessQuality(source) }];
  }
}
