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
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'migrations/**/*.spec.ts', 'scripts/**/*.spec.ts', 'test/deploy/**/*.spec.ts', 'test/repo/**/*.spec.ts', 'test/web/**/*.spec.ts'],
          environment: 'node',
          // Unit tests need no running service: the test support points at closed ports here, so a spec that
          // needs Postgres or Redis fails at once on every machine (make it a *.medium-spec.ts).
          env: { TEST_ADMIN_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres', TEST_REDIS_URL: 'redis://127.0.0.1:1' },
          testTimeout: 30_000,
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          // Beside the code, against the real Postgres and Redis (each file its own database and key prefix).
          name: 'medium',
          include: ['apps/**/*.medium-spec.ts', 'libs/**/*.medium-spec.ts', 'migrations/**/*.medium-spec.ts', 'scripts/**/*.medium-spec.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
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
