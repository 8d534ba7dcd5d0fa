import { Injectable } from '@nestjs/common';
import { FaceDetector } from '@atelier/inference';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import type { ContextOf, JobHandler } from './job-handler';

/** BlazeFace through onnxruntime-node; boxes in the input image's pixel coordinates. */
@Injectable()
export class DetectFacesHandler implements JobHandler<'detect-faces'> {
  readonly definition = JOB_TYPE_BY_NAME['detect-faces'];

  constructor(
    private readonly images: ImagesService,
    private readonly detector: FaceDetector,
  ) {}

  async run({ job, input, reportProgress }: ContextOf<'detect-faces'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 2);
    return [{ kind: 'json', data: await this.detector.detect(source) }];
  }
}
