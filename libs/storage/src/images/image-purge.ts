import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTryAdvisoryLock } from '@atelier/platform';
import { BlobStore } from '../blobs/blob-store';

const PURGE_LOCK_KEY = 0x70_75_72_67_65n; // "purge"

/**
 * Removes image rows soft-deleted longer ago than the retention, then the blobs (and their
 * derived variants) that no remaining row references. Identical bytes are stored once, so
 * a blob shared with a live image stays. Safe to run on several instances at once.
 */
@Injectable()
export class ImagePurge {
  private readonly logger = new Logger(ImagePurge.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
  ) {}

  async purge(retentionDays: number): Promise<{ rows: number; blobs: number }> {
    const orphans = await withTryAdvisoryLock(this.dataSource, PURGE_LOCK_KEY, [] as string[], async (em) => {
      const rows = (await em.query(
        `DELETE FROM images WHERE deleted_at < now() - make_interval(days => $1) RETURNING sha256`,
        [retentionDays],
      )) as [Array<{ sha256: string }>, number];
      const candidates = [...new Set(rows[0].map((r) => r.sha256))];
      if (!candidates.length) return [];
      const still = (await em.query(`SELECT DISTINCT sha256 FROM images WHERE sha256 = ANY($1)`, [candidates])) as Array<{ sha256: string }>;
      const referenced = new Set(still.map((r) => r.sha256));
      return candidates.filter((sha) => !referenced.has(sha));
    });
    for (const sha of orphans) await this.blobs.deleteWithVariants(sha);
    if (orphans.length) this.logger.log({ blobs: orphans.length }, 'purged unreferenced image blobs');
    return { rows: orphans.length, blobs: orphans.length };
  }
}
