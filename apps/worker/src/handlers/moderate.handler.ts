import { Injectable } from '@nestjs/common';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { ModerationPolicy } from '../moderation/moderation-policy';
import type { ContextOf, JobHandler } from './job-handler';

/** nsfwjs's classifier on the caller's image; the verdict is stored with the image too. */
@Injectable()
export class ModerateHandler implements JobHandler<'moderate'> {
  readonly definition = JOB_TYPE_BY_NAME.moderate;

  constructor(
    private readonly images: ImagesService,
    private readonly policy: ModerationPolicy,
  ) {}

  async run({ job, input, reportProgress }: ContextOf<'moderate'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 2);
    return [{ kind: 'json', data: await this.policy.check(job.ownerId, input.imageId, source) }];
  }
}
