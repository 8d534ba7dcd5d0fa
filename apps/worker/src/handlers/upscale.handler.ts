import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import type { JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import type { JobContext, JobHandler } from './job-handler';

/**
 * `upscale` by 2 or 4. No super-resolution ONNX model ships with the project, so this is
 * the classical path: Lanczos-3 resampling with sharp; the output says which method ran.
 */
@Injectable()
export class UpscaleHandler implements JobHandler {
  readonly type = 'upscale' as const;

  constructor(private readonly images: ImagesService) {}

  async run({ job, reportProgress }: JobContext): Promise<JobOutput[]> {
    const scale = Number(job.input.scale ?? 2);
    const source = await this.images.readOriginal(job.ownerId, String(job.input.imageId));
    const { width = 0, format } = await sharp(source).rotate().metadata();
    await reportProgress(1, 2);
    const upscaled = await sharp(source)
      .rotate()
      .resize({ width: width * scale, kernel: 'lanczos3' })
      .toFormat(format === 'jpeg' || format === 'webp' ? format : 'png')
      .toBuffer();
    const image = await this.images.saveJobOutput(job.ownerId, job.id, upscaled);
    return [
      { imageId: image.id, url: `/v1/images/${image.id}/content`, width: image.width, height: image.height },
      { kind: 'json', data: { method: 'lanczos3', scale } },
    ];
  }
}
