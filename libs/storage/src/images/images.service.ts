import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { AppConfig } from '@atelier/platform';
import { BlobStore } from '../blobs/blob-store';
import { normalizeImage } from './image-decoder';
import { ImageEntity, toImageView, type ImageModeration, type ImageView } from './image.entity';
import { renderVariant, type VariantRequest } from './image-variants';
import { storageErrors } from '../storage-errors';

export interface ImageContent {
  bytes: Buffer;
  contentType: string;
  etag: string;
}

@Injectable()
export class ImagesService {
  constructor(
    @InjectRepository(ImageEntity) private readonly images: Repository<ImageEntity>,
    private readonly blobs: BlobStore,
    private readonly config: AppConfig,
  ) {}

  /** A user's upload: checked by content, normalised, stored once per content. */
  async upload(ownerId: string, bytes: Buffer, maxPixels = this.config.uploadMaxPixels): Promise<ImageView> {
    const image = await normalizeImage(bytes, Math.min(maxPixels, this.config.uploadMaxPixels));
    return this.save(ownerId, image, 'upload', null);
  }

  /**
   * Like upload, but the caller's live upload of the same content is answered instead of a new
   * one: for protocol adapters whose clients send the image with every request, so a retry
   * names the same image (and replays its Idempotency-Key) instead of piling up copies.
   */
  async uploadOrReuse(ownerId: string, bytes: Buffer): Promise<ImageView> {
    const image = await normalizeImage(bytes, this.config.uploadMaxPixels);
    const sha256 = createHash('sha256').update(image.bytes).digest('hex');
    const earlier = await this.images.findOneBy({ ownerId, sha256, source: 'upload', deletedAt: IsNull() });
    return earlier ? toImageView(earlier) : this.save(ownerId, image, 'upload', null);
  }

  /** A job's output image, written by the worker. */
  async saveJobOutput(ownerId: string, jobId: string, bytes: Buffer): Promise<ImageView> {
    const image = await normalizeImage(bytes, Number.MAX_SAFE_INTEGER);
    return this.save(ownerId, image, 'job', jobId);
  }

  async get(ownerId: string, id: string): Promise<ImageView> {
    return toImageView(await this.findOwned(ownerId, id));
  }

  /** Of these ids, the ones that name an image of the owner's (not deleted). */
  async ownedIds(ownerId: string, ids: readonly string[]): Promise<Set<string>> {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (!valid.length) return new Set();
    const rows = await this.images.find({ select: { id: true }, where: { id: In(valid), ownerId, deletedAt: IsNull() } });
    return new Set(rows.map((r) => r.id));
  }

  /** The owner's newest image ids, e.g. for the LoadImage choices of the node catalog. */
  async recentIds(ownerId: string, limit: number): Promise<string[]> {
    const rows = await this.images.find({ select: { id: true }, where: { ownerId, deletedAt: IsNull() }, order: { createdAt: 'DESC' }, take: limit });
    return rows.map((r) => r.id);
  }

  /** The bytes of an image the caller owns, the original or a cached conversion. */
  async content(ownerId: string, id: string, variant: VariantRequest = {}): Promise<ImageContent> {
    const image = await this.findOwned(ownerId, id);
    return this.readContent(image, variant);
  }

  /** The bytes for a signed URL: the signature, already checked by the caller, is the grant. */
  async contentByGrant(id: string, variant: VariantRequest = {}): Promise<ImageContent> {
    const image = await this.images.findOneBy({ id, deletedAt: IsNull() });
    if (!image) throw storageErrors('IMAGE_NOT_FOUND', 'Image not found');
    return this.readContent(image, variant);
  }

  /** The original bytes, for the worker (ownership was checked when the job was accepted). */
  async readOriginal(ownerId: string, id: string): Promise<Buffer> {
    const image = await this.findOwned(ownerId, id);
    return this.readBlob(image.sha256);
  }

  /** Stores the content classifier's verdict with the image (the latest check wins). */
  async recordModeration(ownerId: string, id: string, moderation: ImageModeration): Promise<void> {
    const image = await this.findOwned(ownerId, id);
    await this.images.update({ id: image.id }, { moderation });
  }

  async softDelete(ownerId: string, id: string): Promise<void> {
    const result = await this.images.update({ id, ownerId, deletedAt: IsNull() }, { deletedAt: new Date() });
    if (!result.affected) throw storageErrors('IMAGE_NOT_FOUND', 'Image not found');
  }

  private async readContent(image: ImageEntity, variant: VariantRequest): Promise<ImageContent> {
    const format = variant.format ?? image.format;
    const width = variant.width && variant.width < image.width ? variant.width : undefined;
    if (format === image.format && !width) {
      return { bytes: await this.readBlob(image.sha256), contentType: `image/${format}`, etag: `"${image.sha256}"` };
    }
    const key = `${image.sha256}/w${width ?? image.width}.${format}`;
    let bytes = await this.blobs.get(key);
    if (!bytes) {
      bytes = await renderVariant(await this.readBlob(image.sha256), { format, width });
      await this.blobs.putKey(key, bytes);
    }
    return { bytes, contentType: `image/${format}`, etag: `"${image.sha256}-w${width ?? image.width}-${format}"` };
  }

  private async readBlob(sha256: string): Promise<Buffer> {
    const bytes = await this.blobs.get(sha256);
    if (!bytes) throw storageErrors('BLOB_MISSING', 'The image bytes are not available right now');
    return bytes;
  }

  private async findOwned(ownerId: string, id: string): Promise<ImageEntity> {
    const image = await this.images.findOneBy({ id, ownerId, deletedAt: IsNull() });
    if (!image) throw storageErrors('IMAGE_NOT_FOUND', 'Image not found');
    return image;
  }

  private async save(
    ownerId: string,
    image: { bytes: Buffer; format: ImageEntity['format']; width: number; height: number },
    source: ImageEntity['source'],
    jobId: string | null,
  ): Promise<ImageView> {
    const { sha256, bytes } = await this.blobs.put(image.bytes);
    const row = await this.images.save(
      this.images.create({ ownerId, sha256, bytes, format: image.format, width: image.width, height: image.height, source, jobId }),
    );
    return toImageView(row);
  }
}
