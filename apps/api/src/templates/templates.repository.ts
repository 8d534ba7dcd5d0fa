import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { toTemplateView, type TemplateContent, type TemplateView } from './template.types';
import type { TrafficSplit } from './traffic-split';

type Rows = Array<Record<string, unknown>>;
const SELECT = `SELECT t.id, t.owner_id, t.visibility, t.latest_version, t.split, v.version, v.name, v.body, v.negative_body, v.defaults, v.tags, v.created_at
  FROM templates t JOIN template_versions v ON v.template_id = t.id`;
/** Visible to `me`: mine, or public; never deleted. */
const VISIBLE = `t.deleted_at IS NULL AND (t.owner_id = $1 OR t.visibility = 'public')`;

/** All SQL on templates and template_versions. */
@Injectable()
export class TemplatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(ownerId: string, content: TemplateContent): Promise<string> {
    return this.dataSource.transaction(async (em) => {
      const [{ id }] = (await em.query(`INSERT INTO templates (owner_id, visibility) VALUES ($1, $2) RETURNING id`, [ownerId, content.visibility])) as [{ id: string }];
      await this.insertVersion(em, id, 1, content);
      return id;
    });
  }

  /** Adds version n+1 and makes it the latest; null if the template is not the owner's. */
  async addVersion(ownerId: string, id: string, content: TemplateContent): Promise<number | null> {
    return this.dataSource.transaction(async (em) => {
      const rows = (await em.query(
        `UPDATE templates SET latest_version = latest_version + 1, visibility = $3
         WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL RETURNING latest_version`,
        [id, ownerId, content.visibility],
      )) as [Rows, number];
      const version = Number(rows[0][0]?.latest_version);
      if (!rows[1]) return null;
      await this.insertVersion(em, id, version, content);
      return version;
    });
  }

  async find(me: string, id: string, version?: number): Promise<TemplateView | null> {
    const rows = (await this.dataSource.query(
      `${SELECT} WHERE t.id = $2 AND ${VISIBLE} AND v.version = COALESCE($3, t.latest_version)`,
      [me, id, version ?? null],
    )) as Rows;
    return rows[0] ? toTemplateView(rows[0]) : null;
  }

  async versions(me: string, id: string): Promise<TemplateView[]> {
    const rows = (await this.dataSource.query(`${SELECT} WHERE t.id = $2 AND ${VISIBLE} ORDER BY v.version`, [me, id])) as Rows;
    return rows.map(toTemplateView);
  }

  /** Latest versions visible to `me`, full-text ranked when `q` is given; offset paging. */
  async search(me: string, q: string | undefined, tag: string | undefined, offset: number, limit: number): Promise<TemplateView[]> {
    const rows = (await this.dataSource.query(
      `${SELECT} WHERE ${VISIBLE} AND v.version = t.latest_version
         AND ($2::text IS NULL OR v.search @@ plainto_tsquery('simple', $2))
         AND ($3::text IS NULL OR $3 = ANY(v.tags))
       ORDER BY CASE WHEN $2::text IS NULL THEN 0 ELSE ts_rank(v.search, plainto_tsquery('simple', $2)) END DESC, v.created_at DESC, t.id
       OFFSET $4 LIMIT $5`,
      [me, q ?? null, tag ?? null, offset, limit],
    )) as Rows;
    return rows.map(toTemplateView);
  }

  /** Sets or clears the split; false if the template is not the owner's. */
  async setSplit(ownerId: string, id: string, split: TrafficSplit | null): Promise<boolean> {
    const [, affected] = (await this.dataSource.query(`UPDATE templates SET split = $3 WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL`, [
      id,
      ownerId,
      split === null ? null : JSON.stringify(split),
    ])) as [unknown, number];
    return affected > 0;
  }

  async softDelete(ownerId: string, id: string): Promise<boolean> {
    const [, affected] = (await this.dataSource.query(`UPDATE templates SET deleted_at = now() WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL`, [id, ownerId])) as [unknown, number];
    return affected > 0;
  }

  private async insertVersion(em: EntityManager, id: string, version: number, c: TemplateContent): Promise<void> {
    const tags = c.tags ?? [];
    await em.query(
      `INSERT INTO template_versions (template_id, version, name, body, negative_body, defaults, tags, search)
       VALUES ($1, $2, $3, $4, $5, $6, $7, to_tsvector('simple', $3 || ' ' || $4 || ' ' || $8))`,
      [id, version, c.name, c.body, c.negativeBody ?? null, JSON.stringify(c.defaults ?? {}), tags, tags.join(' ')],
    );
  }
}
