import { Injectable } from '@nestjs/common';
import { LineDetector } from '@atelier/inference';
import type { JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import type { JobContext, JobHandler } from './job-handler';

/** M-LSD line segments as JSON, plus the rendered line map as an image output. */
@Injectable()
export class DetectLinesHandler implements JobHandler {
  readonly type = 'detect-lines' as const;

  constructor(
    private readonly images: ImagesService,
    private readonly detector: LineDetector,
  ) {}

  async run({ job, reportProgress }: JobContext): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, String(job.input.imageId));
    await reportProgress(1, 3);
    const { segments, width, height } = await this.detector.detect(source);
    await reportProgress(2, 3);
    const map = await this.images.saveJobOutput(job.ownerId, job.id, await this.detector.renderLineMap(segments, width, height));
    return [
      { kind: 'json', data: { segments } },
      { imageId: map.id, url: `/v1/images/${map.id}/content`, width: map.width, height: map.height },
    ];
  }
}
