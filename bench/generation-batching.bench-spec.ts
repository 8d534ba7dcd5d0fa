import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { createModelCache, ImageGenerator, type ModelCache, ModelRegistry, prepareModels, RemoteEngines, type GenerationJobRequest } from '@atelier/inference';
import { writeSection } from './support/results';
import { round } from './support/stats';

/**
 * P6: txt2img throughput with 8 concurrent jobs for the same model, dynamically batched, divided
 * by the same 8 jobs with batching off (max batch 1). The tiny SD export (the project's random
 * weights with SD 1.5's signatures) on the CPU; PNG encoding included, as in a job.
 */
const CONCURRENCY = 8;
const ROUNDS = 3;
const manifestsDir = join(process.cwd(), 'models');
const modelsDir = mkdtempSync(join(tmpdir(), 'atelier-bench-models-'));
const caches: ModelCache[] = [];

afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()));
  rmSync(modelsDir, { recursive: true, force: true });
});

async function throughput(size: number, steps: number, maxBatch: number): Promise<number> {
  const registry = new ModelRegistry({ manifestsDir, modelsDir });
  const options = { modelsDir, manifestsDir, executionProviders: ['cpu'], generationMaxBatch: maxBatch, generationBatchWaitMs: 10 };
  const cache = createModelCache(registry, options);
  caches.push(cache);
  const generator = new ImageGenerator(registry, cache, options, new RemoteEngines(registry));
  const hooks = { reportProgress: async () => undefined, isCanceled: async () => false };
  const request = (seed: number): GenerationJobRequest => ({
    kind: 'txt2img', model: 'tiny-sd', prompt: `a photo of a red cat ${seed}`, negativePrompt: '', width: size, height: size,
    steps, guidance: 7, seed, batch: 1, scheduler: 'euler',
  });
  await generator.generate(request(0), hooks); // load and warm up
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => generator.generate(request(round * CONCURRENCY + i), hooks)));
  }
  return (CONCURRENCY * ROUNDS) / ((performance.now() - started) / 1000);
}

it('P6: dynamic batching throughput at concurrency 8', async () => {
  await prepareModels({ manifestsDir, modelsDir, log: () => undefined });
  const rows: string[] = [];
  for (const [size, steps] of [[256, 10], [512, 10]] as const) {
    const unbatched = await throughput(size, steps, 1);
    const batched = await throughput(size, steps, CONCURRENCY);
    rows.push(`| ${size}×${size}, ${steps} steps, CFG | ${round(unbatched, 2)} | ${round(batched, 2)} | ${round(batched / unbatched, 2)}× |`);
  }
  writeSection('P6 generation: dynamic batching', `
${CONCURRENCY} concurrent txt2img jobs for \`tiny-sd\` (the project's SD 1.5-shaped ONNX export with small random weights) on the CPU execution provider, ${ROUNDS} rounds, through \`ImageGenerator\` (text encoder, scheduler, UNet with both CFG halves, VAE decoder, PNG encoding). Unbatched = max batch 1 (each job its own model calls); batched = max batch ${CONCURRENCY}, 10 ms wait.

| shape | unbatched images/s | batched images/s | speed-up (target ≥ 1.3× on CPU) |
|---|---|---|---|
${rows.join('\n')}

The tiny networks make per-call overhead (session run, tensor copies) a large share, which batching amortises; a real SD 1.5 UNet is compute-bound on a CPU, so expect less there and more on a GPU. Run: \`npm run bench:generation\`.`);
}, 600_000);
