import { Injectable } from '@nestjs/common';
import { FaceDetector } from '@atelier/inference';
import type { JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import type { JobContext, JobHandler } from './job-handler';

/** BlazeFace through onnxruntime-node; boxes in the input image's pixel coordinates. */
@Injectable()
export class DetectFacesHandler implements JobHandler {
  readonly type = 'detect-faces' as const;

  constructor(
    private readonly images: ImagesService,
    private readonly detector: FaceDetector,
  ) {}

  async run({ job, reportProgress }: JobContext): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, String(job.input.imageId));
    await reportProgress(1, 2);
    const result = await this.detector.detect(source);
    return [{ kind: 'json', data: result }];
  }
}
