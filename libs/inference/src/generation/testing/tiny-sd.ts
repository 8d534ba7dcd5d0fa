import type { Tensor } from 'onnxruntime-node';
import { makeTempDir } from '../../testing/test-models';
import { join } from 'node:path';
import { type TinyStableDiffusionOptions, writeTinyStableDiffusion } from '../model-builder';
import { MODEL_BUILDERS, TINY_MERGES } from '../model-builders';
import { writeClipTokenizerFiles } from '../tokenizer';
import { loadSdModel } from '../stable-diffusion/load-sd-model';
import type { Feeds, Net } from '../stable-diffusion/onnx-net';
import type { SdComponents } from '../stable-diffusion/sd-components';

// Test support only: the project's tiny SD folder, loaded on the CPU.

const quiet = { log: () => undefined, warn: () => undefined };

/** A builder's folder (default: tiny-sd's), or a tiny-sd variant written with `options`, loaded on the CPU. */
export async function loadTinySd(builder = 'tiny-stable-diffusion', options?: Omit<TinyStableDiffusionOptions, 'vocabSize'>): Promise<SdComponents> {
  const dir = makeTempDir(builder);
  if (options) {
    const { vocabSize } = writeClipTokenizerFiles(join(dir, 'tokenizer'), TINY_MERGES);
    writeTinyStableDiffusion(dir, { vocabSize, ...options });
  } else MODEL_BUILDERS[builder](dir);
  return loadSdModel(dir, ['cpu'], quiet);
}

/** Wraps a Net to record the batch size of every call and, optionally, fail some calls like a GPU out of memory. */
export class RecordingNet implements Net {
  readonly batches: number[] = [];
  provider: string;

  constructor(
    private readonly inner: Net,
    private readonly failWhen?: (batch: number, provider: string) => boolean,
    provider?: string,
  ) {
    this.provider = provider ?? inner.provider;
  }

  async run(feeds: Feeds): Promise<Record<string, Tensor>> {
    const batch = Object.values(feeds)[0].dims[0];
    if (this.failWhen?.(batch, this.provider)) throw new Error('CUDA failure 2: out of memory; GPU=0');
    this.batches.push(batch);
    return this.inner.run(feeds);
  }

  inputType(name: string): string | undefined {
    return this.inner.inputType(name);
  }

  inputShape(name: string): ReadonlyArray<number | string> | undefined {
    return this.inner.inputShape(name);
  }

  get inputNames(): readonly string[] {
    return this.inner.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.inner.outputNames;
  }

  async moveToCpu(): Promise<void> {
    this.provider = 'cpu';
  }

  release(): Promise<void> {
    return this.inner.release();
  }
}
