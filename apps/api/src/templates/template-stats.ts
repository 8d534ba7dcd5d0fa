import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TemplatesService } from './templates.service';

export interface VersionStats {
  version: number;
  jobs: number;
  ratings: number;
  averageScore: number | null;
  /** Generated images of the version that carry the worker's quality estimate, and their mean score (0..100). */
  qualityImages: number;
  averageQuality: number | null;
}

/** A 1–5 score's usual spread; with it, the ratings each version needs to tell a difference apart. */
const ASSUMED_SCORE_SD = 1.2;
const Z = 1.96 + 0.84; // 5 % significance, 80 % power

/** A/B comparison of a template's versions: jobs run, ratings, average score, and beside them the mean automatic quality. */
@Injectable()
export class TemplateStats {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: TemplatesService,
  ) {}

  async forTemplate(me: string, templateId: string) {
    const versions = await this.templates.versions(me, templateId);
    const rows = (await this.dataSource.query(
      `SELECT j.template_version AS version, count(DISTINCT j.id)::int AS jobs, count(r.score)::int AS ratings, avg(r.score)::float AS average
       FROM jobs j
       LEFT JOIN images i ON i.job_id = j.id AND i.deleted_at IS NULL
       LEFT JOIN ratings r ON r.image_id = i.id
       WHERE j.template_id = $1 GROUP BY j.template_version`,
      [templateId],
    )) as Array<{ version: number; jobs: number; ratings: number; average: number | null }>;
    // Apart from the ratings join, so an image rated several times counts once.
    const qualityRows = (await this.dataSource.query(
      `SELECT j.template_version AS version, count(*)::int AS images, avg((i.quality->>'score')::float)::float AS average
       FROM jobs j JOIN images i ON i.job_id = j.id AND i.deleted_at IS NULL AND i.quality IS NOT NULL
       WHERE j.template_id = $1 GROUP BY j.template_version`,
      [templateId],
    )) as Array<{ version: number; images: number; average: number }>;
    const byVersion = new Map(rows.map((r) => [Number(r.version), r]));
    const qualityByVersion = new Map(qualityRows.map((r) => [Number(r.version), r]));
    const stats: VersionStats[] = versions.map(({ version }) => {
      const row = byVersion.get(version);
      const quality = qualityByVersion.get(version);
      return {
        version,
        jobs: row?.jobs ?? 0,
        ratings: row?.ratings ?? 0,
        averageScore: row?.average == null ? null : Math.round(row.average * 100) / 100,
        qualityImages: quality?.images ?? 0,
        averageQuality: quality ? Math.round(quality.average * 10) / 10 : null,
      };
    });
    return { templateId, versions: stats, significance: significanceHint(stats) };
  }
}

/** How many ratings per version the two best-rated versions need before their difference means anything. */
export function significanceHint(stats: VersionStats[]): { compared: number[]; difference: number; ratingsNeededPerVersion: number | null; enough: boolean } | null {
  const rated = stats.filter((s) => s.averageScore !== null).sort((a, b) => b.averageScore! - a.averageScore!);
  if (rated.length < 2) return null;
  const [a, b] = rated;
  const difference = Math.round((a.averageScore! - b.averageScore!) * 100) / 100;
  const needed = difference > 0 ? Math.ceil((2 * Z ** 2 * ASSUMED_SCORE_SD ** 2) / difference ** 2) : null;
  return { compared: [a.version, b.version], difference, ratingsNeededPerVersion: needed, enough: needed !== null && Math.min(a.ratings, b.ratings) >= needed };
}
