import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { FaceDetector } from '@atelier/inference';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { ImagesService } from '@atelier/storage';
import { imageOutput, type ContextOf, type JobHandler } from './job-handler';
import { centredRegion, facesFocus, largestRegion, type Region } from './smart-crop-region';

/**
 * `smart-crop`: the largest region of the requested aspect ratio, centred on the faces BlazeFace
 * finds (see facesFocus), or, with no face, where sharp's attention strategy (luminance, saturation, skin tones)
 * puts it; then scaled down to width × height (never up).
 */
@Injectable()
export class SmartCropHandler implements JobHandler<'smart-crop'> {
  readonly definition = JOB_TYPE_BY_NAME['smart-crop'];

  constructor(
    private readonly images: ImagesService,
    private readonly faces: FaceDetector,
  ) {}

  async run({ job, input, reportProgress }: ContextOf<'smart-crop'>): Promise<JobOutput[]> {
    const source = await this.images.readOriginal(job.ownerId, input.imageId);
    const { width: imageWidth, height: imageHeight } = (await sharp(source).metadata()).autoOrient;
    const size = largestRegion(imageWidth, imageHeight, input.width, input.height);
    await reportProgress(1, 3);
    const { faces } = await this.faces.detect(source);
    const focus = faces.length ? facesFocus(faces.map((f) => f.box), size) : null;
    const region = focus ? centredRegion(imageWidth, imageHeight, size, focus.x, focus.y) : await attentionRegion(source, size);
    await reportProgress(2, 3);
    const scale = Math.min(1, input.width / region.width);
    const cropped = await sharp(source)
      .rotate()
      .extract(region)
      .resize(Math.max(1, Math.round(region.width * scale)), Math.max(1, Math.round(region.height * scale)))
      .png()
      .toBuffer();
    const image = await this.images.saveJobOutput(job, cropped);
    return [imageOutput(image), { kind: 'json', data: { strategy: faces.length ? 'faces' : 'attention', faces: faces.length, region } }];
  }
}

/** Where sharp's attention crop of `size` lands: cropping without scaling reports its offset. */
async function attentionRegion(source: Buffer, size: Pick<Region, 'width' | 'height'>): Promise<Region> {
  const { info } = await sharp(source)
    .rotate()
    .resize(size.width, size.height, { fit: 'cover', position: sharp.strategy.attention })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { left: Math.abs(info.cropOffsetLeft ?? 0), top: Math.abs(info.cropOffsetTop ?? 0), width: size.width, height: size.height };
}
