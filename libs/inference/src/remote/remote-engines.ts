import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import sharp from 'sharp';
import { modelErrors, remoteSpecOf, upstreamsOf, type ModelManifest, type RemoteEngineSpec } from '@atelier/models';
import { ModelRegistry } from '../models/model-registry';
import type { GenerationJobHooks, GenerationJobRequest, GenerationResult } from '../generation/generation-request';
import { comfyuiTry, type ProgressSink } from './comfyui-try';
import { openaiImagesTry } from './openai-images-try';
import { callUpstream, UpstreamCallFailed } from './resilient-call';
import { outcomeOf, TryAborted, UpstreamRejection, UpstreamRunFailed } from './upstream-errors';
import { UpstreamPool, type UpstreamHostState } from './upstream-pool';
import { NO_OBSERVER, type RemoteObserver } from './remote-observer';

/** How often a remote call asks whether its job was canceled. */
const CANCEL_CHECK_MS = 500;
/** Step previews a job gets at most, as for local models. */
const PREVIEWS_PER_JOB = 5;

interface RemoteModel {
  manifest: ModelManifest;
  spec: RemoteEngineSpec;
  pool: UpstreamPool;
}

/**
 * The worker's remote models (`comfyui-remote`, `openai-images`): one UpstreamPool per model,
 * a job's request run through `callUpstream` on it, the answers returned as the generator's
 * PNGs. Secrets are read from the environment at each call and never logged.
 */
@Injectable()
export class RemoteEngines implements OnModuleInit {
  private readonly logger = new Logger(RemoteEngines.name);
  private readonly models = new Map<string, RemoteModel>();
  private observer: RemoteObserver = NO_OBSERVER;
  /** Forwards to whoever observes now (the worker's metrics register after construction). */
  private readonly forward: RemoteObserver = {
    onTry: (...args) => this.observer.onTry(...args),
    onRetry: (...args) => this.observer.onRetry(...args),
    onEjection: (...args) => this.observer.onEjection(...args),
  };

  constructor(registry: ModelRegistry) {
    for (const manifest of registry.list()) {
      const spec = remoteSpecOf(manifest);
      if (spec) this.models.set(manifest.id, { manifest, spec, pool: new UpstreamPool(manifest.id, upstreamsOf(spec), spec.resilience, this.forward) });
    }
  }

  /** Tries, retries and ejections go to `observer` from now on. */
  observeWith(observer: RemoteObserver): void {
    this.observer = observer;
  }

  /** A remote manifest naming a secret the environment lacks stops the worker, naming the variable. */
  onModuleInit(): void {
    const missing = this.missingSecrets();
    if (missing.length) throw new Error(`Remote model manifests need the environment variable(s) ${missing.join(', ')}, which are not set`);
  }

  handles(model: string): boolean {
    return this.models.has(model);
  }

  /** Each remote model's hosts as this worker sees them. */
  hostStates(model: string): UpstreamHostState[] | undefined {
    return this.models.get(model)?.pool.states();
  }

  /** The environment variables the remote manifests name that are not set: the worker refuses to start without them. */
  missingSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
    const names = [...this.models.values()].map(({ spec }) => (spec.engine === 'comfyui-remote' ? spec.auth?.env : spec.apiKeyEnv));
    return [...new Set(names.filter((n): n is string => !!n && !env[n]))];
  }

  async generate(request: GenerationJobRequest, hooks: GenerationJobHooks, jobId?: string): Promise<GenerationResult | 'canceled'> {
    const model = this.models.get(request.model);
    if (!model) throw modelErrors('UNKNOWN_MODEL', `Unknown model ${request.model}`);
    const { spec, pool } = model;
    if (request.kind === 'img2img' && spec.engine === 'comfyui-remote' && !spec.bindings.image) {
      throw modelErrors('MODEL_CANNOT_IMG2IMG', `Model ${request.model} binds no input image, so it cannot do img2img`);
    }
    // What the remote graph cannot carry is refused, not silently dropped.
    if (request.loras?.some((l) => l.weight !== 0)) throw modelErrors('MODEL_WRONG_PIPELINE', `Model ${request.model} is remote and takes no LoRA`);
    if (request.maskImage) throw modelErrors('MODEL_CANNOT_IMG2IMG', `Model ${request.model} is remote and takes no inpainting mask`);
    const cancel = new AbortController();
    const watcher = setInterval(() => {
      void hooks.isCanceled().then((canceled) => canceled && cancel.abort(), () => undefined);
    }, CANCEL_CHECK_MS);
    // As for a local model: the init image EXIF-oriented and cropped to the requested size, sent as PNG.
    if (request.initImage) {
      request = { ...request, initImage: await sharp(request.initImage).rotate().resize(request.width, request.height, { fit: 'cover' }).png().toBuffer() };
    }
    const sink = progressSink(request.steps, hooks);
    const headers = this.headers(spec);
    const started = Date.now();
    try {
      const raw = await callUpstream(
        pool,
        (host, signal) =>
          (spec.engine === 'comfyui-remote' ? comfyuiTry(spec, host, request, headers, sink, signal) : openaiImagesTry(spec, host, request, headers, signal)).catch((error: unknown) => {
            // The upstream's words and the host, never the request's headers.
            this.logger.warn({ jobId, model: request.model, host, outcome: outcomeOf(error), err: (error as Error).message }, 'remote try failed');
            throw error;
          }),
        cancel.signal,
        this.forward,
      );
      await sink.flush();
      const images = await Promise.all(raw.map(async (bytes, i) => ({ ...(await asPng(bytes)), seed: (request.seed + i) >>> 0 })));
      this.logger.log({ jobId, model: request.model, ms: Date.now() - started, images: images.length }, 'remote generation done');
      return { images, model: request.model, provider: spec.engine, degradations: [], batchedWith: 1 };
    } catch (error) {
      if (error instanceof TryAborted) return 'canceled';
      throw this.jobError(request.model, error);
    } finally {
      clearInterval(watcher);
    }
  }

  /** The call's failure as the job's: the upstream's own message for a 4xx or a failed run, UPSTREAM_UNAVAILABLE otherwise. */
  private jobError(model: string, error: unknown): Error {
    if (!(error instanceof UpstreamCallFailed)) return error as Error;
    const last = error.last;
    if (last instanceof UpstreamRejection) return modelErrors('UPSTREAM_REJECTED', last.message, { model, status: last.status });
    if (last instanceof UpstreamRunFailed) return modelErrors('UPSTREAM_FAILED', last.message, { model });
    return modelErrors('UPSTREAM_UNAVAILABLE', error.message, { model });
  }

  private headers(spec: RemoteEngineSpec): Record<string, string> {
    if (spec.engine === 'comfyui-remote') {
      if (!spec.auth) return {};
      return { [spec.auth.header]: `${spec.auth.prefix}${process.env[spec.auth.env] ?? ''}` };
    }
    return spec.apiKeyEnv ? { authorization: `Bearer ${process.env[spec.apiKeyEnv] ?? ''}` } : {};
  }
}

/** The upstream's PNG as it is; another format (JPEG, WebP) converted, so outputs are always PNG. */
async function asPng(bytes: Buffer): Promise<{ png: Buffer; width: number; height: number }> {
  const meta = await sharp(bytes).metadata();
  const png = meta.format === 'png' ? bytes : await sharp(bytes).png().toBuffer();
  return { png, width: meta.width ?? 0, height: meta.height ?? 0 };
}

/**
 * Upstream progress as job progress: steps as the upstream counts them, a small WebP of its
 * latest preview on every few steps (at most PREVIEWS_PER_JOB). Reports go out in order, one at a time.
 */
function progressSink(expectedSteps: number, hooks: GenerationJobHooks): ProgressSink & { flush(): Promise<void> } {
  let chain = Promise.resolve();
  let latestPreview: Buffer | undefined;
  let previews = 0;
  let lastStep = -1;
  return {
    preview(image) {
      latestPreview = image;
    },
    progress(step, total) {
      if (step === lastStep) return;
      lastStep = step;
      const every = Math.max(1, Math.floor((total || expectedSteps) / PREVIEWS_PER_JOB));
      const preview = step < total && step % every === 0 && previews < PREVIEWS_PER_JOB ? latestPreview : undefined;
      if (preview) {
        previews++;
        latestPreview = undefined;
      }
      chain = chain.then(async () => {
        const url = preview ? await previewUrl(preview).catch(() => undefined) : undefined;
        await hooks.reportProgress(step, total, url);
      }).catch(() => undefined);
    },
    flush: () => chain,
  };
}

async function previewUrl(image: Buffer): Promise<string> {
  const webp = await sharp(image).resize(128, 128, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 60 }).toBuffer();
  return `data:image/webp;base64,${webp.toString('base64')}`;
}
