export { StorageModule } from './storage.module';
export { ImagesService, type ImageContent } from './images/images.service';
export type { ImageFormat, ImageView } from './images/image.entity';
export type { VariantRequest } from './images/image-variants';
export { BlobStore } from './blobs/blob-store';
export { LocalBlobStore } from './blobs/local-blob-store';
export { S3BlobStore, type S3BlobStoreOptions } from './blobs/s3-blob-store';
export { SignedImageUrls } from './images/signed-image-urls';
export { ImagePurge } from './images/image-purge';
