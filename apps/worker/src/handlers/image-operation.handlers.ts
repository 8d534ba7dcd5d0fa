import { Injectable } from '@nestjs/common';
import type { JobOutput, JobType } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { cropImage, filterImage, resizeImage, type CropInput, type FilterInput, type ResizeInput } from './image-ops';
import { JobCanceled, type JobContext, type JobHandler } from './job-handler';

/** The shared shape of the cpu lane: read the input image, transform it, store the result. */
@Injectable() // emits the constructor's parameter types that the subclasses inherit
abstract class ImageOperationHandler implements JobHandler {
  abstract readonly type: JobType;

  constructor(private readonly images: ImagesService) {}

  protected abstract transform(input: Buffer, params: Record<string, unknown>): Promise<Buffer>;

  async run({ job, reportProgress, isCanceled }: JobContext): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, String(job.input.imageId));
    await reportProgress(1, 3);
    const result = await this.transform(source, job.input);
    if (await isCanceled()) throw new JobCanceled(job.id);
    await reportProgress(2, 3);
    const image = await this.images.saveJobOutput(job.ownerId, job.id, result);
    return [{ imageId: image.id, url: `/v1/images/${image.id}/content`, width: image.width, height: image.height }];
  }
}

@Injectable()
export class ResizeHandler extends ImageOperationHandler {
  readonly type = 'resize' as const;
  protected transform(input: Buffer, params: Record<string, unknown>) {
    return resizeImage(input, params as unknown as ResizeInput);
  }
}

@Injectable()
export class CropHandler extends ImageOperationHandler {
  readonly type = 'crop' as const;
  protected transform(input: Buffer, params: Record<string, unknown>) {
    return cropImage(input, params as unknown as CropInput);
  }
}

@Injectable()
export class FilterHandler extends ImageOperationHandler {
  readonly type = 'filter' as const;
  protected transform(input: Buffer, params: Record<string, unknown>) {
    return filterImage(input, params as unknown as FilterInput);
  }
}
