import { Logger, Module } from '@nestjs/common';
import { AppConfig } from '@atelier/platform';
import { ModelCatalog } from './model-catalog';

/**
 * Provides the ModelCatalog from MODEL_MANIFESTS_DIR. A folder that cannot be read, or an invalid
 * manifest, stops the process with a message naming the setting: model checks never switch off.
 */
@Module({
  providers: [
    {
      provide: ModelCatalog,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        let catalog: ModelCatalog;
        try {
          catalog = ModelCatalog.fromDir(config.modelManifestsDir);
        } catch (error) {
          throw new Error(`MODEL_MANIFESTS_DIR (${config.modelManifestsDir}): ${(error as Error).message}`);
        }
        const logger = new Logger('ModelCatalog');
        if (!catalog.list().length) logger.warn(`no model manifests in ${config.modelManifestsDir}: every job that names a model is refused`);
        else logger.log({ models: catalog.list().length }, `model manifests read from ${config.modelManifestsDir}`);
        return catalog;
      },
    },
  ],
  exports: [ModelCatalog],
})
export class ModelsModule {}
