import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TemplatesService } from './templates.service';
import type { TrafficSplit } from './traffic-split';

/**
 * One version's figures. Further per-version measures (e.g. the mean automatic quality score of
 * its images) go here beside averageScore, filled from the same per-version query below.
 */
export interface VersionStats {
  version: number;
  jobs: number;
  ratings: number;
  averageScore: number | null;
  /** Generated images of the version that carry the worker's quality estimate, and their mean score (0..100). */
  qualityImages: number;
  averageQuality: number | null;
  /** Sample standard deviation of the scores; null under two ratings. */
  scoreStdDev: number | null;
}

export interface Significance {
  compared: number[];
  difference: number;
  ratingsNeededPerVersion: number | null;
  enough: boolean;
  /** Two-sided p-value of the difference (Welch's test, normal approximation); null while a version has under two ratings. */
  pValue: number | null;
}

/** A 1–5 score's usual spread; with it, the ratings each version needs to tell a difference apart. */
const ASSUMED_SCORE_SD = 1.2;
const Z = 1.96 + 0.84; // 5 % significance, 80 % power

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/** A/B comparison of a template's versions: jobs run, ratings, average score, the mean automatic quality, and whether the difference is real. */
@Injectable()
export class TemplateStats {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: TemplatesService,
  ) {}

  async forTemplate(me: string, templateId: string): Promise<{ templateId: string; split: TrafficSplit | null; versions: VersionStats[]; significance: Significance | null }> {
    const versions = await this.templates.versions(me, templateId);
    const rows = (await this.dataSource.query(
      `SELECT j.template_version AS version, count(DISTINCT j.id)::int AS jobs, count(r.score)::int AS ratings,
              avg(r.score)::float AS average, stddev_samp(r.score)::float AS sd
       FROM jobs j
       LEFT JOIN images i ON i.job_id = j.id AND i.deleted_at IS NULL
       LEFT JOIN ratings r ON r.image_id = i.id
       WHERE j.template_id = $1 GROUP BY j.template_version`,
      [templateId],
    )) as Array<{ version: number; jobs: number; ratings: number; average: number | null; sd: number | null }>;
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
        averageScore: row?.average == null ? null : round(row.average),
        scoreStdDev: row?.sd == null ? null : round(row.sd, 3),
        qualityImages: quality?.images ?? 0,
        averageQuality: quality ? round(quality.average, 1) : null,
      };
    });
    return { templateId, split: versions[versions.length - 1]?.split ?? null, versions: stats, significance: significanceHint(stats) };
  }
}

/** The two best-rated versions: their difference, its p-value, and how many ratings per version would make it meaningful. */
export function significanceHint(stats: VersionStats[]): Significance | null {
  const rated = stats.filter((s) => s.averageScore !== null).sort((a, b) => b.averageScore! - a.averageScore!);
  if (rated.length < 2) return null;
  const [a, b] = rated;
  const difference = round(a.averageScore! - b.averageScore!);
  const needed = difference > 0 ? Math.ceil((2 * Z ** 2 * ASSUMED_SCORE_SD ** 2) / difference ** 2) : null;
  return {
    compared: [a.version, b.version],
    difference,
    ratingsNeededPerVersion: needed,
    enough: needed !== null && Math.min(a.ratings, b.ratings) >= needed,
    pValue: welchPValue(a, b),
  };
}

function welchPValue(a: VersionStats, b: VersionStats): number | null {
  if (a.ratings < 2 || b.ratings < 2 || a.scoreStdDev === null || b.scoreStdDev === null) return null;
  const difference = a.averageScore! - b.averageScore!;
  const standardError = Math.sqrt(a.scoreStdDev ** 2 / a.ratings + b.scoreStdDev ** 2 / b.ratings);
  if (standardError === 0) return difference === 0 ? 1 : 0;
  return round(2 * (1 - normalCdf(Math.abs(difference) / standardError)), 4);
}

/** Φ(x) from erf (Abramowitz and Stegun 7.1.26, error under 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
