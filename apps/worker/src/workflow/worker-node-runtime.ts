import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { FaceDetector, ImageGenerator, LineDetector, SuperResolution, TextRecognizer, type SchedulerName } from '@atelier/inference';
import type { JobEntity } from '@atelier/jobs';
import type { SigmaSchedule } from '@atelier/models';
import { ImagesService } from '@atelier/storage';
import { WorkflowCanceled, type EncodedImage, type GenerateRequest, type NodeRuntime } from '@atelier/workflows';
import { lanczos } from '../handlers/image-ops';
import { assessQuality } from '../vision/quality-assessment';
import { detectCorruption } from '../vision/corruption-detector';
import { stylize } from '../vision/stylize';
import { blendPixels, sharpenPixels } from './pixel-blends';

/** How a node's step progress and the cancel check reach the job. */
export interface NodeHooks {
  progress(step: number, totalSteps: number, previewUrl?: string): Promise<void>;
  isCanceled(): Promise<boolean>;
}

/** ComfyUI's upscale_method names to sharp's kernels (sharp has no box filter: `area` uses mitchell). */
const KERNELS: Record<string, keyof sharp.KernelEnum> = { 'nearest-exact': 'nearest', bilinear: 'linear', area: 'mitchell', bicubic: 'cubic', lanczos: 'lanczos3' };

const encoded = async (pipeline: sharp.Sharp): Promise<EncodedImage> => {
  const { data, info } = await pipeline.png().toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
};

/** Raw RGB of an image, at a size when given. */
const rgbOf = (image: EncodedImage, width = image.width, height = image.height) =>
  sharp(image.png).removeAlpha().resize(width, height, { fit: 'fill' }).raw().toBuffer();

/**
 * What workflow nodes may do, on this worker: the same generator, upscaler, detectors, image
 * operations and storage the job types use, so no pipeline exists twice.
 */
@Injectable()
export class WorkerNodeRuntimes {
  constructor(
    private readonly generator: ImageGenerator,
    private readonly superResolution: SuperResolution,
    private readonly faces: FaceDetector,
    private readonly lines: LineDetector,
    private readonly text: TextRecognizer,
    private readonly images: ImagesService,
  ) {}

  forNode(job: JobEntity, hooks: NodeHooks): NodeRuntime {
    return {
      generate: (request) => this.generate(request, hooks),
      upscale: async (image, scale, model) =>
        model
          ? { ...(await this.withSize((await this.superResolution.upscale(image.png, scale, model, (done, total) => hooks.progress(done, total))).png)) }
          : this.withSize(await lanczos(image.png, scale)),
      resize: (image, width, height, method, crop) =>
        encoded(
          sharp(image.png).resize(width || undefined, height || undefined, {
            kernel: KERNELS[method] ?? 'lanczos3',
            fit: crop === 'center' && width && height ? 'cover' : width && height ? 'fill' : 'inside',
          }),
        ),
      crop: (image, rect) => encoded(sharp(image.png).extract(rect)),
      blur: (image, _radius, sigma) => encoded(sharp(image.png).blur(Math.max(0.3, sigma))),
      sharpen: async (image, _radius, sigma, alpha) => {
        const [pixels, blurred] = await Promise.all([rgbOf(image), sharp(image.png).removeAlpha().blur(Math.max(0.3, sigma)).raw().toBuffer()]);
        return encoded(sharp(sharpenPixels(pixels, blurred, alpha), { raw: { width: image.width, height: image.height, channels: 3 } }));
      },
      invert: (image) => encoded(sharp(image.png).negate({ alpha: false })),
      blend: async (base, top, factor, mode) => {
        const [a, b] = await Promise.all([rgbOf(base), rgbOf(top, base.width, base.height)]);
        return encoded(sharp(blendPixels(a, b, factor, mode), { raw: { width: base.width, height: base.height, channels: 3 } }));
      },
      solid: (width, height, rgb) =>
        encoded(sharp({ create: { width, height, channels: 3, background: { r: (rgb >> 16) & 255, g: (rgb >> 8) & 255, b: rgb & 255 } } })),
      loadImage: async (imageId) => encoded(sharp(await this.images.readOriginal(job.ownerId, imageId))),
      loadMask: async (imageId, channel) => {
        const source = sharp(await this.images.readOriginal(job.ownerId, imageId));
        const { width = 1, height = 1, hasAlpha } = await source.metadata();
        if (channel === 'alpha' && !hasAlpha) return encoded(sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 } } }).greyscale());
        const band = source.clone().ensureAlpha().extractChannel(channel);
        // ComfyUI's masks are 1 − alpha (transparent = masked), a colour channel as it is.
        return encoded(channel === 'alpha' ? band.negate() : band);
      },
      saveImage: async (image) => {
        const saved = await this.images.saveJobOutput(job, image.png);
        return { imageId: saved.id, width: saved.width, height: saved.height };
      },
      ocr: (image) => this.text.recognize(image.png),
      detectFaces: async (image) => (await this.faces.detect(image.png)).faces,
      detectLines: async (image) => {
        const { segments, width, height } = await this.lines.detect(image.png);
        return { segments, map: await this.withSize(await this.lines.renderLineMap(segments, width, height)) };
      },
      detectCorruption: (image) => detectCorruption(image.png),
      assessQuality: (image) => assessQuality(image.png),
      stylize: async (image, style) => this.withSize(await stylize(image.png, style)),
      progress: (step, total, previewUrl) => hooks.progress(step, total, previewUrl),
      isCanceled: () => hooks.isCanceled(),
    };
  }

  private async generate(request: GenerateRequest, hooks: NodeHooks): Promise<EncodedImage[]> {
    const result = await this.generator.generate(
      {
        kind: request.initImage ? 'img2img' : 'txt2img',
        model: request.model,
        prompt: request.prompt,
        negativePrompt: request.negativePrompt,
        width: request.width,
        height: request.height,
        steps: request.steps,
        guidance: request.guidance,
        seed: request.seed,
        batch: request.batch,
        scheduler: request.sampler as SchedulerName,
        sigmaSchedule: request.sigmaSchedule as SigmaSchedule,
        ...(request.initImage ? { initImage: request.initImage.png, strength: request.strength ?? 1 } : {}),
      },
      { reportProgress: (step, total, previewUrl) => hooks.progress(step, total, previewUrl), isCanceled: () => hooks.isCanceled() },
    );
    if (result === 'canceled') throw new WorkflowCanceled();
    return result.images.map((image) => ({ png: image.png, width: request.width, height: request.height }));
  }

  private async withSize(png: Buffer): Promise<EncodedImage> {
    const { width = 0, height = 0 } = await sharp(png).metadata();
    return { png, width, height };
  }
}
