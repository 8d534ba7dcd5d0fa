import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { SuperResolution } from '@atelier/inference';
import type { JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import type { JobContext, JobHandler } from './job-handler';

/**
 * `upscale` by 2 or 4: tiled super-resolution when UPSCALE_MODEL names one, else Lanczos-3
 * resampling with sharp. The JSON output says which method ran.
 */
@Injectable()
export class UpscaleHandler implements JobHandler {
  readonly type = 'upscale' as const;

  constructor(
    private readonly images: ImagesService,
    private readonly superResolution: SuperResolution,
  ) {}

  async run({ job, reportProgress }: JobContext): Promise<JobOutput[]> {
    const scale = Number(job.input.scale ?? 2);
    const source = await this.images.readOriginal(job.ownerId, String(job.input.imageId));
    const model = this.superResolution.configuredModel;
    const { bytes, report } = model
      ? await this.withModel(source, scale, model, reportProgress)
      : { bytes: await lanczos(source, scale), report: { method: 'lanczos3', scale } };
    const image = await this.images.saveJobOutput(job.ownerId, job.id, bytes);
    return [
      { imageId: image.id, url: `/v1/images/${image.id}/content`, width: image.width, height: image.height },
      { kind: 'json', data: report },
    ];
  }

  private async withModel(source: Buffer, scale: number, model: string, reportProgress: JobContext['reportProgress']) {
    // One progress step per tile, plus one for storing the result.
    const result = await this.superResolution.upscale(source, scale, model, (done, total) => reportProgress(done, total + 1));
    const { modelScale, tiles, provider } = result;
    return { bytes: result.png, report: { method: 'super-resolution', model, scale, modelScale, tiles, provider } };
  }
}

async function lanczos(source: Buffer, scale: number): Promise<Buffer> {
  const { width = 0, format } = await sharp(source).rotate().metadata();
  return sharp(source)
    .rotate()
    .resize({ width: width * scale, kernel: 'lanczos3' })
    .toFormat(format === 'jpeg' || format === 'webp' ? format : 'png')
    .toBuffer();
}
