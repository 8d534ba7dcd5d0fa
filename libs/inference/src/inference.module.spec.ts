import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FaceDetector, InferenceModule, ModelRegistry } from './index';
import { facePhoto, MANIFESTS_DIR, prepareTestModels, removeTempDirs } from './testing/test-models';

/** Stands in for the app's config service: something the factory gets injected. */
@Injectable()
class FakeConfig {
  modelsDir = '';
}

@Module({ providers: [FakeConfig], exports: [FakeConfig] })
class FakeConfigModule {}

afterAll(removeTempDirs);

describe('InferenceModule.forRootAsync', () => {
  it('builds options from injected providers and exports a working FaceDetector and ModelRegistry', async () => {
    const modelsDir = await prepareTestModels();
    @Module({
      imports: [
        InferenceModule.forRootAsync({
          imports: [FakeConfigModule],
          inject: [FakeConfig],
          useFactory: async (config: FakeConfig) => ({
            modelsDir: config.modelsDir || modelsDir,
            manifestsDir: MANIFESTS_DIR,
            executionProviders: ['cuda', 'cpu'],
            faceScoreThreshold: 0.6,
          }),
        }),
      ],
    })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      expect(app.get(ModelRegistry).list().length).toBeGreaterThan(0);
      const detector = app.get(FaceDetector);
      const { faces } = await detector.detect(readFileSync(facePhoto(6)));
      expect(faces.length).toBeGreaterThan(1);
      expect(Math.min(...faces.map((f) => f.score))).toBeGreaterThanOrEqual(0.6);
      expect(await detector.executionProvider()).toBe('cpu');
    } finally {
      await app.close();
    }
  });
});
