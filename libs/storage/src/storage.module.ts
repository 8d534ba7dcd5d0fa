import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@atelier/platform';
import { BlobStore } from './blobs/blob-store';
import { LocalBlobStore } from './blobs/local-blob-store';
import { S3BlobStore } from './blobs/s3-blob-store';
import { ImageEntity } from './images/image.entity';
import { ImagesService } from './images/images.service';
import { SignedImageUrls } from './images/signed-image-urls';
import { ImagePurge } from './images/image-purge';

/** STORAGE_DRIVER picks the driver; validateEnv has already refused `s3` without S3_BUCKET. */
function createBlobStore(config: AppConfig): BlobStore {
  return config.storageDriver === 's3' ? new S3BlobStore(config.s3) : new LocalBlobStore(config.storageDir);
}

@Module({
  imports: [TypeOrmModule.forFeature([ImageEntity])],
  providers: [
    { provide: BlobStore, inject: [AppConfig], useFactory: createBlobStore },
    ImagesService,
    SignedImageUrls,
    ImagePurge,
  ],
  exports: [ImagesService, SignedImageUrls, ImagePurge],
})
export class StorageModule {}
