import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { AppConfig, decodeCursor, DomainError, encodeCursor, type Page } from '@atelier/platform';
import { BlobStore } from '../blobs/blob-store';
import { normalizeImage } from './image-decoder';
import { ImageEntity, toImageView, type ImageQuality, type ImageSourceName, type ImageView } from './image.entity';
import { renderVariant, type VariantRequest } from './image-variants';
import { storageErrors } from '../storage-errors';

export interface ImageListFilter {
  cursor?: string;
  limit?: number;
  source?: ImageSourceName;
  jobId?: string;
}

/** The job an output belongs to, as the worker has it: its owner and the quota it was accepted under. */
export interface OutputOwner {
  id: string;
  ownerId: string;
  /** Bytes; null or absent: no quota. */
  storageQuotaBytes?: number | null;
}

/** The caller's storage quota in bytes (their plan's); null: none. */
export type QuotaBytes = number | null;

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

  /** A user's upload: checked by content, normalised, held to the quota, stored once per content. */
  async upload(ownerId: string, bytes: Buffer, quotaBytes: QuotaBytes, maxPixels = this.config.uploadMaxPixels): Promise<ImageView> {
    const image = await normalizeImage(bytes, Math.min(maxPixels, this.config.uploadMaxPixels));
    return this.save(ownerId, image, 'upload', null, quotaBytes);
  }

  /**
   * Like upload, but the caller's live upload of the same content is answered instead of a new
   * one: for protocol adapters whose clients send the image with every request, so a retry
   * names the same image (and replays its Idempotency-Key) instead of piling up copies.
   */
  async uploadOrReuse(ownerId: string, bytes: Buffer, quotaBytes: QuotaBytes): Promise<ImageView> {
    const image = await normalizeImage(bytes, this.config.uploadMaxPixels);
    const sha256 = createHash('sha256').update(image.bytes).digest('hex');
    const earlier = await this.images.findOneBy({ ownerId, sha256, source: 'upload', deletedAt: IsNull() });
    return earlier ? toImageView(earlier) : this.save(ownerId, image, 'upload', null, quotaBytes);
  }

  /** A job's output image, written by the worker and held to the quota the job was accepted under, with its quality estimate when the worker measured one. */
  async saveJobOutput(job: OutputOwner, bytes: Buffer, extras: { quality?: ImageQuality } = {}): Promise<ImageView> {
    const image = await normalizeImage(bytes, Number.MAX_SAFE_INTEGER);
    return this.save(job.ownerId, image, 'job', job.id, job.storageQuotaBytes ?? null, extras.quality ?? null);
  }

  /**
   * The bytes the owner's images take: every row counts, deleted ones too until the purge
   * removes them (their bytes are still stored until then). Thumbnails are not counted.
   */
  async usage(ownerId: string): Promise<number> {
    const [row] = (await this.images.query(`SELECT COALESCE(SUM(bytes), 0)::bigint AS used FROM images WHERE owner_id = $1`, [ownerId])) as Array<{ used: string }>;
    return Number(row?.used ?? 0);
  }

  async get(ownerId: string, id: string): Promise<ImageView> {
    return toImageView(await this.findOwned(ownerId, id));
  }

  /**
   * The owner's live images, newest first, with a keyset cursor. Read from the images alone, so
   * generated images stay listed after their job's row is purged by the job retention.
   */
  async list(ownerId: string, filter: ImageListFilter = {}): Promise<Page<ImageView>> {
    const limit = filter.limit ?? 50;
    const after = decodeCursor(filter.cursor);
    const query = this.images
      .createQueryBuilder('i')
      .where('i.owner_id = :ownerId AND i.deleted_at IS NULL', { ownerId })
      // Milliseconds, as the cursor carries them: rows of the same millisecond are neither skipped nor repeated.
      .orderBy(`date_trunc('milliseconds', i.created_at)`, 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(limit + 1);
    if (filter.source) query.andWhere('i.source = :source', { source: filter.source === 'generated' ? 'job' : 'upload' });
    if (filter.jobId) query.andWhere('i.job_id = :jobId', { jobId: filter.jobId });
    if (after) query.andWhere(`(date_trunc('milliseconds', i.created_at), i.id) < (:at, :id)`, { at: after.at, id: after.id });
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toImageView), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
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
      // A cache that cannot be written (the disk is full) still serves what it rendered.
      await this.blobs.putKey(key, bytes).catch((error: unknown) => {
        if (!(error instanceof DomainError && error.code === 'STORAGE_FULL')) throw error;
      });
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

  /** Before anything is stored: uploads in flight together may pass it together, by at most their own sizes. */
  private async checkQuota(ownerId: string, adding: number, quotaBytes: number): Promise<void> {
    const usedBytes = await this.usage(ownerId);
    if (usedBytes + adding > quotaBytes) {
      throw storageErrors('STORAGE_QUOTA_EXCEEDED', `Your plan keeps ${quotaBytes} bytes of images; ${usedBytes} are used. Delete images to make room`, {
        quotaBytes,
        usedBytes,
        requiredBytes: adding,
      });
    }
  }

  private async save(
    ownerId: string,
    image: { bytes: Buffer; format: ImageEntity['format']; width: number; height: number },
    source: ImageEntity['source'],
    jobId: string | null,
    quotaBytes: QuotaBytes,
    quality: ImageQuality | null = null,
  ): Promise<ImageView> {
    if (quotaBytes !== null) await this.checkQuota(ownerId, image.bytes.length, quotaBytes);
    const { sha256, bytes } = await this.blobs.put(image.bytes);
    const row = await this.images.save(
      this.images.create({ ownerId, sha256, bytes, format: image.format, width: image.width, height: image.height, source, jobId, quality }),
    );
    return toImageView(row);
  }
}
