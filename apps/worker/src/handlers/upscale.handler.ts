import { Injectable } from '@nestjs/common';
import { SuperResolution } from '@atelier/inference';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { lanczos } from './image-ops';
import { imageOutput, type ContextOf, type JobContext, type JobHandler } from './job-handler';

/**
 * `upscale` by 2 or 4: tiled super-resolution when UPSCALE_MODEL names one, else Lanczos-3
 * resampling with sharp. The JSON output says which method ran.
 */
@Injectable()
export class UpscaleHandler implements JobHandler<'upscale'> {
  readonly definition = JOB_TYPE_BY_NAME.upscale;

  constructor(
    private readonly images: ImagesService,
    private readonly superResolution: SuperResolution,
  ) {}

  async run({ job, input, reportProgress }: ContextOf<'upscale'>): Promise<JobOutput[]> {
    const { scale } = input;
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    const model = this.superResolution.configuredModel;
    const { bytes, report } = model
      ? await this.withModel(source, scale, model, reportProgress)
      : { bytes: await lanczos(source, scale), report: { method: 'lanczos3', scale } };
    const image = await this.images.saveJobOutput(job, bytes);
    return [imageOutput(image), { kind: 'json', data: report }];
  }

  private async withModel(source: Buffer, scale: number, model: string, reportProgress: JobContext['reportProgress']) {
    // One progress step per tile, plus one for storing the result.
    const result = await this.superResolution.upscale(source, scale, model, (done, total) => reportProgress(done, total + 1));
    const { modelScale, tiles, provider } = result;
    return { bytes: result.png, report: { method: 'super-resolution', model, scale, modelScale, tiles, provider } };
  }
}
