import { type DynamicModule, Module } from '@nestjs/common';
import { FaceDetector } from './face-detection/face-detector';
import { INFERENCE_OPTIONS, type InferenceModuleAsyncOptions, type InferenceOptions } from './inference-options';
import { ModelRegistry } from './models/model-registry';
import { ModelStatusReporter } from './models/model-status';
import { LineDetector } from './line-detection/line-detector';
import { ImageGenerator } from './generation/image-generator';
import { SuperResolution } from './upscale/super-resolution';
import { TextRecognizer } from './ocr/text-recognizer';
import { ContentModerator } from './moderation/content-moderator';
import { BackgroundRemover } from './segmentation/background-remover';
import { createModelCache, ModelCache } from './runtime/model-cache';
import { RemoteEngines } from './remote/remote-engines';

/** Model registry, the hot/warm/cold model cache, ONNX-backed detectors and the image generator for the worker. */
@Module({})
export class InferenceModule {
  static forRootAsync(options: InferenceModuleAsyncOptions): DynamicModule {
    return {
      module: InferenceModule,
      imports: options.imports ?? [],
      providers: [
        { provide: INFERENCE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        {
          provide: ModelRegistry,
          inject: [INFERENCE_OPTIONS],
          useFactory: (o: InferenceOptions) => new ModelRegistry({ manifestsDir: o.manifestsDir, modelsDir: o.modelsDir }),
        },
        {
          provide: ModelCache,
          inject: [INFERENCE_OPTIONS, ModelRegistry],
          useFactory: (o: InferenceOptions, registry: ModelRegistry) => createModelCache(registry, o),
        },
        FaceDetector,
        LineDetector,
        TextRecognizer,
        ImageGenerator,
        SuperResolution,
        ContentModerator,
        BackgroundRemover,
        ModelStatusReporter,
        RemoteEngines,
      ],
      exports: [ModelRegistry, ModelCache, FaceDetector, LineDetector, TextRecognizer, ImageGenerator, SuperResolution, ContentModerator, BackgroundRemover, ModelStatusReporter, RemoteEngines],
    };
  }
}
