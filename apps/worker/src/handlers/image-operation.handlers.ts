import { Injectable } from '@nestjs/common';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { cropImage, filterImage, resizeImage } from './image-ops';
import { imageOutput, JobCanceled, type ContextOf, type JobHandler } from './job-handler';

type OperationType = 'resize' | 'crop' | 'filter';

/** The shared shape of the cpu lane: read the input image, transform it, store the result. */
@Injectable() // emits the constructor's parameter types that the subclasses inherit
abstract class ImageOperationHandler<T extends OperationType> implements JobHandler<T> {
  abstract readonly definition: JobHandler<T>['definition'];

  constructor(private readonly images: ImagesService) {}

  protected abstract transform(source: Buffer, input: ContextOf<T>['input']): Promise<Buffer>;

  async run({ job, input, reportProgress, isCanceled }: ContextOf<T>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    await reportProgress(1, 3);
    const result = await this.transform(source, input);
    if (await isCanceled()) throw new JobCanceled(job.id);
    await reportProgress(2, 3);
    return [imageOutput(await this.images.saveJobOutput(job, result))];
  }
}

@Injectable()
export class ResizeHandler extends ImageOperationHandler<'resize'> {
  readonly definition = JOB_TYPE_BY_NAME.resize;
  protected transform(source: Buffer, input: ContextOf<'resize'>['input']) {
    return resizeImage(source, input);
  }
}

@Injectable()
export class CropHandler extends ImageOperationHandler<'crop'> {
  readonly definition = JOB_TYPE_BY_NAME.crop;
  protected transform(source: Buffer, input: ContextOf<'crop'>['input']) {
    return cropImage(source, input);
  }
}

@Injectable()
export class FilterHandler extends ImageOperationHandler<'filter'> {
  readonly definition = JOB_TYPE_BY_NAME.filter;
  protected transform(source: Buffer, input: ContextOf<'filter'>['input']) {
    return filterImage(source, input);
  }
}
