import type { TrafficSplit } from './traffic-split';

export type Visibility = 'private' | 'public';

/** A template as clients see it: the fields of one version plus the template's own. */
export interface TemplateView {
  id: string;
  ownerId: string;
  visibility: Visibility;
  version: number;
  latestVersion: number;
  name: string;
  body: string;
  negativeBody: string | null;
  defaults: Record<string, string>;
  tags: string[];
  /** The template's traffic split over its versions; null: unpinned renders use the latest. */
  split: TrafficSplit | null;
  createdAt: string;
}

export interface TemplateContent {
  name: string;
  body: string;
  negativeBody?: string;
  defaults?: Record<string, string>;
  tags?: string[];
  visibility: Visibility;
}

export const toTemplateView = (row: Record<string, unknown>): TemplateView => ({
  id: row.id as string,
  ownerId: row.owner_id as string,
  visibility: row.visibility as Visibility,
  version: Number(row.version),
  latestVersion: Number(row.latest_version),
  name: row.name as string,
  body: row.body as string,
  negativeBody: (row.negative_body as string | null) ?? null,
  defaults: (row.defaults as Record<string, string>) ?? {},
  tags: (row.tags as string[]) ?? [],
  split: (row.split as TrafficSplit | null) ?? null,
  createdAt: (row.created_at as Date).toISOString(),
});
