import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ImagesService } from '@atelier/storage';

export interface RatingSummary {
  count: number;
  average: number | null;
}

/** One rating per user per image: a second one replaces the first. */
@Injectable()
export class RatingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly images: ImagesService,
  ) {}

  async rate(userId: string, imageId: string, score: number, feedback?: string): Promise<{ imageId: string; score: number; feedback: string | null; ratings: RatingSummary }> {
    await this.images.get(userId, imageId); // 404 unless the image is the rater's
    await this.dataSource.query(
      `INSERT INTO ratings (image_id, user_id, score, feedback) VALUES ($1, $2, $3, $4)
       ON CONFLICT (image_id, user_id) DO UPDATE SET score = EXCLUDED.score, feedback = EXCLUDED.feedback, created_at = now()`,
      [imageId, userId, score, feedback ?? null],
    );
    return { imageId, score, feedback: feedback ?? null, ratings: await this.summary(imageId) };
  }

  async summary(imageId: string): Promise<RatingSummary> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS count, avg(score)::float AS average FROM ratings WHERE image_id = $1`, [imageId])) as [
      { count: number; average: number | null },
    ];
    return { count: row.count, average: row.average === null ? null : Math.round(row.average * 100) / 100 };
  }
}
