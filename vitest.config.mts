import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// One source of truth for the lib aliases: tsconfig.json's `paths`.
const tsconfig = JSON.parse(readFileSync(resolve(import.meta.dirname, 'tsconfig.json'), 'utf8'));
const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths as Record<string, string[]>).map(([name, [target]]) => [
    name,
    resolve(import.meta.dirname, target),
  ]),
);

// SWC instead of esbuild: Nest's dependency injection needs emitDecoratorMetadata.
const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  plugins,
  resolve: { alias },
  test: {
    projects: [
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'migrations/**/*.spec.ts', 'scripts/**/*.spec.ts', 'test/deploy/**/*.spec.ts', 'test/web/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'bench',
          include: ['bench/**/*.bench-spec.ts'],
          environment: 'node',
          fileParallelism: false,
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 900_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
