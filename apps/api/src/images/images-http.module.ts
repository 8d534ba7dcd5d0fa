import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '@atelier/platform';
import { AuthModule } from '@atelier/auth';
import { StorageModule } from '@atelier/storage';
import { TemplatesModule } from '../templates/templates.module';
import { ImagesController } from './images.controller';
import { StorageQuotasModule } from './storage-quotas';

@Module({
  imports: [
    AuthModule,
    StorageModule,
    TemplatesModule,
    StorageQuotasModule,
    // Memory storage: uploads are checked by content before anything touches the blob store.
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 10 } }),
    }),
  ],
  controllers: [ImagesController],
})
export class ImagesHttpModule {}
