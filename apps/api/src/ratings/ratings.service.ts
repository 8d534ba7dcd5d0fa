import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '@atelier/platform';
import { ImagesService } from '@atelier/storage';

export interface RatingSummary {
  count: number;
  average: number | null;
}

/** A rating as its author reads it back, and as admins read a template version's feedback. */
export interface RatingRecord {
  imageId: string;
  userId: string;
  score: number;
  feedback: string | null;
  templateId: string | null;
  templateVersion: number | null;
  createdAt: string;
}

type RatingRow = { image_id: string; user_id: string; score: number; feedback: string | null; template_id: string | null; template_version: number | null; created_at: Date };

const toRecord = (r: RatingRow): RatingRecord => ({
  imageId: r.image_id,
  userId: r.user_id,
  score: r.score,
  feedback: r.feedback,
  templateId: r.template_id,
  templateVersion: r.template_version,
  createdAt: r.created_at.toISOString(),
});

const COLUMNS = `image_id, user_id, score, feedback, template_id, template_version, created_at`;

/** One rating per user per image: a second one replaces the first. */
@Injectable()
export class RatingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly images: ImagesService,
  ) {}

  async rate(userId: string, imageId: string, score: number, feedback?: string): Promise<{ imageId: string; score: number; feedback: string | null; ratings: RatingSummary }> {
    const image = await this.images.get(userId, imageId); // 404 unless the image is the rater's
    // The template version is copied from the job now, so the feedback per version outlives the job's retention.
    await this.dataSource.query(
      `INSERT INTO ratings (image_id, user_id, score, feedback, template_id, template_version)
       SELECT $1, $2, $3, $4, j.template_id, j.template_version FROM (SELECT 1) one LEFT JOIN jobs j ON j.id = $5
       ON CONFLICT (image_id, user_id) DO UPDATE SET score = EXCLUDED.score, feedback = EXCLUDED.feedback, created_at = now()`,
      [imageId, userId, score, feedback ?? null, image.jobId ?? null],
    );
    return { imageId, score, feedback: feedback ?? null, ratings: await this.summary(imageId) };
  }

  async summary(imageId: string): Promise<RatingSummary> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS count, avg(score)::float AS average FROM ratings WHERE image_id = $1`, [imageId])) as [
      { count: number; average: number | null },
    ];
    return { count: row.count, average: row.average === null ? null : Math.round(row.average * 100) / 100 };
  }

  /** The caller's own ratings with their feedback, newest first. */
  mine(userId: string, cursor: string | undefined, limit = 50): Promise<Page<RatingRecord>> {
    return this.page(`user_id = $1`, [userId], cursor, limit);
  }

  /** Admins: every rating of images made with one template version, newest first. */
  ofTemplateVersion(templateId: string, version: number, cursor: string | undefined, limit = 50): Promise<Page<RatingRecord>> {
    return this.page(`template_id = $1 AND template_version = $2`, [templateId, version], cursor, limit);
  }

  private async page(where: string, params: unknown[], cursor: string | undefined, limit: number): Promise<Page<RatingRecord>> {
    const after = decodeCursor(cursor);
    const n = params.length;
    // Milliseconds, as the cursor carries them; the image id breaks ties (one rating per user and image).
    const at = `date_trunc('milliseconds', created_at)`;
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ratings WHERE ${where} ${after ? `AND (${at}, image_id) < ($${n + 1}, $${n + 2})` : ''}
       ORDER BY ${at} DESC, image_id DESC LIMIT $${n + (after ? 3 : 1)}`,
      [...params, ...(after ? [after.at, after.id] : []), limit + 1],
    )) as RatingRow[];
    const items = rows.slice(0, limit).map(toRecord);
    const last = rows[limit - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.image_id) : null };
  }
}
