import { Inject, Injectable, Logger } from '@nestjs/common';
import { ImageGenerator, ModelRegistry, type GenerationJobRequest } from '@atelier/inference';
import { JOB_TYPE_BY_NAME, type JobOutput } from '@atelier/jobs';
import { AppConfig, DomainError } from '@atelier/platform';
import { ImagesService } from '@atelier/storage';
import { storedQuality } from '../vision/quality-assessment';
import { JobCanceled, imageOutput, type ContextOf, type JobHandler } from './job-handler';

type GenerationType = 'txt2img' | 'img2img';

/**
 * txt2img and img2img: the job's input (validated by the API, parsed again here) to the generator
 * and its PNGs to storage, each with its no-reference quality estimate (template statistics
 * compare versions by it). The JSON output records the seeds, the model, the provider and any
 * degradation.
 */
abstract class GenerationHandler<T extends GenerationType> implements JobHandler<T> {
  abstract readonly definition: JobHandler<T>['definition'];
  private readonly logger = new Logger('GenerationHandler');

  constructor(
    private readonly generator: ImageGenerator,
    protected readonly images: ImagesService,
    private readonly config: AppConfig,
    private readonly registry: ModelRegistry,
  ) {}

  /**
   * A model that cannot load (MODEL_UNAVAILABLE) whose manifest names a `fallback`: the job runs
   * on the fallback instead of failing, and says so (`modelUsed`, `degraded`).
   */
  private async generateOrFallBack(request: GenerationJobRequest, context: ContextOf<T>) {
    const hooks = { jobId: context.job.id, reportProgress: context.reportProgress, isCanceled: context.isCanceled };
    try {
      return await this.generator.generate(request, hooks);
    } catch (error) {
      const fallback = error instanceof DomainError && error.code === 'MODEL_UNAVAILABLE' ? fallbackOf(this.registry, request.model) : undefined;
      if (!fallback) throw error;
      this.logger.warn({ jobId: context.job.id, model: request.model, fallback }, `model unavailable; running on its fallback: ${error instanceof Error ? error.message : ''}`);
      context.ranOnFallback(fallback);
      return this.generator.generate({ ...request, model: fallback }, hooks);
    }
  }

  /** img2img's extra fields: the init image and the strength. */
  protected abstract extras(context: ContextOf<T>): Promise<Partial<GenerationJobRequest>>;

  async run(context: ContextOf<T>): Promise<JobOutput[]> {
    const { job, input } = context;
    const kind = this.definition.type;
    const request: GenerationJobRequest = {
      kind,
      // Rows from before the API resolved defaults have no model: the configured default then.
      model: job.model ?? (kind === 'txt2img' ? this.config.defaultTxt2ImgModel : this.config.defaultImg2ImgModel),
      prompt: input.prompt ?? '',
      negativePrompt: input.negativePrompt ?? '',
      width: input.width,
      height: input.height,
      steps: input.steps,
      guidance: input.guidance,
      // A job without a seed gets one derived from its id: a retry after a crash makes the same image.
      seed: input.seed ?? seedFromId(job.id),
      batch: input.batch,
      scheduler: input.scheduler ?? 'euler',
      sigmaSchedule: input.sigmaSchedule ?? 'normal',
      ...(input.loras?.length ? { loras: input.loras } : {}),
      ...(await this.extras(context)),
    };
    const result = await this.generateOrFallBack(request, context);
    if (result === 'canceled') throw new JobCanceled(job.id);
    const outputs: JobOutput[] = [];
    for (const image of result.images) {
      const saved = await this.images.saveJobOutput(job, image.png, { quality: await storedQuality(image.png) });
      outputs.push({ ...imageOutput(saved), seed: image.seed });
    }
    outputs.push({
      kind: 'json',
      data: { model: result.model, provider: result.provider, seeds: result.images.map((i) => i.seed), batchedWith: result.batchedWith, degradations: result.degradations },
    });
    return outputs;
  }
}

/** The model's fallback (from its manifest), when it has one this worker knows. */
function fallbackOf(registry: ModelRegistry, modelId: string): string | undefined {
  const fallback = registry.has(modelId) ? registry.get(modelId).fallback : undefined;
  return fallback && registry.has(fallback) ? fallback : undefined;
}

/** The first 32 bits of a UUID as an unsigned seed. */
function seedFromId(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 8), 16) >>> 0;
}

@Injectable()
export class Txt2ImgHandler extends GenerationHandler<'txt2img'> {
  readonly definition = JOB_TYPE_BY_NAME.txt2img;

  constructor(@Inject(ImageGenerator) generator: ImageGenerator, images: ImagesService, config: AppConfig, registry: ModelRegistry) {
    super(generator, images, config, registry);
  }

  protected async extras(): Promise<Partial<GenerationJobRequest>> {
    return {};
  }
}

@Injectable()
export class Img2ImgHandler extends GenerationHandler<'img2img'> {
  readonly definition = JOB_TYPE_BY_NAME.img2img;

  constructor(@Inject(ImageGenerator) generator: ImageGenerator, images: ImagesService, config: AppConfig, registry: ModelRegistry) {
    super(generator, images, config, registry);
  }

  protected async extras({ job, input }: ContextOf<'img2img'>): Promise<Partial<GenerationJobRequest>> {
    return {
      strength: input.strength,
      initImage: await this.images.readOriginal(job.ownerId, input.imageId),
      ...(input.maskImageId ? { maskImage: await this.images.readOriginal(job.ownerId, input.maskImageId) } : {}),
    };
  }
}
