import { Inject, Injectable } from '@nestjs/common';
import { ImageGenerator, type GenerationJobRequest, type SchedulerName } from '@atelier/inference';
import type { JobOutput } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import { ImagesService } from '@atelier/storage';
import { JobCanceled, type JobContext, type JobHandler } from './job-handler';

/**
 * txt2img and img2img: the job's input (validated by the API) to the generator and its PNGs to
 * storage. The JSON output records the seeds, the model, the provider and any degradation.
 */
abstract class GenerationHandler implements JobHandler {
  abstract readonly type: 'txt2img' | 'img2img';

  constructor(
    private readonly generator: ImageGenerator,
    private readonly images: ImagesService,
    private readonly config: AppConfig,
  ) {}

  async run({ job, reportProgress, isCanceled }: JobContext): Promise<JobOutput[]> {
    const input = job.input;
    const request: GenerationJobRequest = {
      kind: this.type,
      model: job.model ?? (this.type === 'txt2img' ? this.config.defaultTxt2ImgModel : this.config.defaultImg2ImgModel),
      prompt: String(input.prompt ?? ''),
      negativePrompt: String(input.negativePrompt ?? ''),
      width: Number(input.width ?? 512),
      height: Number(input.height ?? 512),
      steps: Number(input.steps ?? 20),
      guidance: Number(input.guidance ?? 7),
      // A job without a seed gets one derived from its id: a retry after a crash makes the same image.
      seed: input.seed === undefined ? seedFromId(job.id) : Number(input.seed),
      batch: Number(input.batch ?? 1),
      scheduler: (input.scheduler as SchedulerName | undefined) ?? 'euler',
      ...(this.type === 'img2img' ? { strength: Number(input.strength ?? 0.75), initImage: await this.images.readOriginal(job.ownerId, String(input.imageId)) } : {}),
    };
    const result = await this.generator.generate(request, { reportProgress, isCanceled });
    if (result === 'canceled') throw new JobCanceled(job.id);
    const outputs: JobOutput[] = [];
    for (const image of result.images) {
      const saved = await this.images.saveJobOutput(job.ownerId, job.id, image.png);
      outputs.push({ imageId: saved.id, url: `/v1/images/${saved.id}/content`, width: saved.width, height: saved.height, seed: image.seed });
    }
    outputs.push({
      kind: 'json',
      data: { model: result.model, provider: result.provider, seeds: result.images.map((i) => i.seed), batchedWith: result.batchedWith, degradations: result.degradations },
    });
    return outputs;
  }
}

/** The first 32 bits of a UUID as an unsigned seed. */
function seedFromId(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 8), 16) >>> 0;
}

@Injectable()
export class Txt2ImgHandler extends GenerationHandler {
  readonly type = 'txt2img' as const;

  constructor(@Inject(ImageGenerator) generator: ImageGenerator, images: ImagesService, config: AppConfig) {
    super(generator, images, config);
  }
}

@Injectable()
export class Img2ImgHandler extends GenerationHandler {
  readonly type = 'img2img' as const;

  constructor(@Inject(ImageGenerator) generator: ImageGenerator, images: ImagesService, config: AppConfig) {
    super(generator, images, config);
  }
}
