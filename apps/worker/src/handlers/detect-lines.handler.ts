import { Injectable } from '@nestjs/common';
import { LineDetector } from '@atelier/inference';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { imageOutput, type ContextOf, type JobHandler } from './job-handler';

/** M-LSD line segments as JSON, plus the rendered line map as an image output. */
@Injectable()
export class DetectLinesHandler implements JobHandler<'detect-lines'> {
  readonly definition = JOB_TYPE_BY_NAME['detect-lines'];

  constructor(
    private readonly images: ImagesService,
    private readonly detector: LineDetector,
  ) {}

  async run({ job, input, reportProgress }: ContextOf<'detect-lines'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 3);
    const { segments, width, height } = await this.detector.detect(source);
    await reportProgress(2, 3);
    const map = await this.images.saveJobOutput(job, await this.detector.renderLineMap(segments, width, height));
    return [{ kind: 'json', data: { segments } }, imageOutput(map)];
  }
}
