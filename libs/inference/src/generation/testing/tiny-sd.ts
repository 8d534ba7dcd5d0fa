import type { Tensor } from 'onnxruntime-node';
import { makeTempDir } from '../../testing/test-models';
import { MODEL_BUILDERS } from '../model-builders';
import { loadSdModel } from '../stable-diffusion/load-sd-model';
import type { Feeds, Net } from '../stable-diffusion/onnx-net';
import type { SdComponents } from '../stable-diffusion/sd-components';

// Test support only: the project's tiny SD folder, loaded on the CPU.

const quiet = { log: () => undefined, warn: () => undefined };

export async function loadTinySd(): Promise<SdComponents> {
  const dir = makeTempDir('tiny-sd');
  MODEL_BUILDERS['tiny-stable-diffusion'](dir);
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

  async moveToCpu(): Promise<void> {
    this.provider = 'cpu';
  }

  release(): Promise<void> {
    return this.inner.release();
  }
}
