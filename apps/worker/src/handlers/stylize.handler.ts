import { Injectable } from '@nestjs/common';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { stylize } from '../vision/stylize';
import { imageOutput, JobCanceled, type ContextOf, type JobHandler } from './job-handler';

/** `stylize`: one of the classical styles of vision/stylize.ts (no model), PNG out. */
@Injectable()
export class StylizeHandler implements JobHandler<'stylize'> {
  readonly definition = JOB_TYPE_BY_NAME.stylize;

  constructor(private readonly images: ImagesService) {}

  async run({ job, input, reportProgress, isCanceled }: ContextOf<'stylize'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 3);
    const styled = await stylize(source, input.style);
    if (await isCanceled()) throw new JobCanceled(job.id);
    await reportProgress(2, 3);
    return [imageOutput(await this.images.saveJobOutput(job, styled))];
  }
}
