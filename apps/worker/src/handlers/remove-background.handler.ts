import { Injectable } from '@nestjs/common';
import { BackgroundRemover } from '@atelier/inference';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { imageOutput, type ContextOf, type JobHandler } from './job-handler';

/** The cut-out as an RGBA PNG, plus how much of the image it kept. */
@Injectable()
export class RemoveBackgroundHandler implements JobHandler<'remove-background'> {
  readonly definition = JOB_TYPE_BY_NAME['remove-background'];

  constructor(
    private readonly images: ImagesService,
    private readonly remover: BackgroundRemover,
  ) {}

  async run({ job, input, reportProgress }: ContextOf<'remove-background'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 3);
    const cut = await this.remover.cutOut(source);
    await reportProgress(2, 3);
    const image = await this.images.saveJobOutput(job, cut.png);
    return [imageOutput(image), { kind: 'json', data: { coverage: cut.coverage, model: cut.model } }];
  }
}
