import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@atelier/platform';
import { BlobStore } from './blobs/blob-store';
import { LocalBlobStore } from './blobs/local-blob-store';
import { ImageEntity } from './images/image.entity';
import { ImagesService } from './images/images.service';
import { SignedImageUrls } from './images/signed-image-urls';
import { ImagePurge } from './images/image-purge';

@Module({
  imports: [TypeOrmModule.forFeature([ImageEntity])],
  providers: [
    { provide: BlobStore, inject: [AppConfig], useFactory: (config: AppConfig) => new LocalBlobStore(config.storageDir) },
    ImagesService,
    SignedImageUrls,
    ImagePurge,
  ],
  exports: [ImagesService, SignedImageUrls, ImagePurge],
})
export class StorageModule {}
