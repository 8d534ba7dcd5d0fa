import { Injectable } from '@nestjs/common';
import { templateErrors } from './template-errors';
import { TemplateCache } from './template-cache';
import type { TemplateContent, TemplateView } from './template.types';
import { TemplatesRepository } from './templates.repository';
import { checkSplit, type TrafficSplit } from './traffic-split';

const PAGE = 20;
const notFoundError = () => templateErrors('TEMPLATE_NOT_FOUND', 'Template not found');
const decodeOffset = (cursor?: string) => {
  if (!cursor) return 0;
  const offset = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw templateErrors('INVALID_CURSOR', 'The cursor is not one this API returned');
  return offset;
};

/** Templates with immutable versions: PUT adds version n+1, old versions stay readable. */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly templates: TemplatesRepository,
    private readonly cache: TemplateCache,
  ) {}

  async create(ownerId: string, content: TemplateContent): Promise<TemplateView> {
    return this.get(ownerId, await this.templates.create(ownerId, content));
  }

  async update(ownerId: string, id: string, content: TemplateContent): Promise<TemplateView> {
    const version = await this.templates.addVersion(ownerId, id, content);
    if (version === null) throw notFoundError();
    await this.cache.invalidate(id);
    return this.get(ownerId, id);
  }

  /** Mine or public; another user's private template is a 404, as if it did not exist. */
  async get(me: string, id: string, version?: number): Promise<TemplateView> {
    const view = await this.cache.read(id, version, () => this.templates.find(me, id, version));
    if (!view || (view.ownerId !== me && view.visibility !== 'public')) throw notFoundError();
    return view;
  }

  async versions(me: string, id: string): Promise<TemplateView[]> {
    const versions = await this.templates.versions(me, id);
    if (!versions.length) throw notFoundError();
    return versions;
  }

  async search(me: string, q?: string, tag?: string, cursor?: string): Promise<{ items: TemplateView[]; nextCursor: string | null }> {
    const offset = decodeOffset(cursor);
    const rows = await this.templates.search(me, q?.trim() || undefined, tag, offset, PAGE + 1);
    return {
      items: rows.slice(0, PAGE),
      nextCursor: rows.length > PAGE ? Buffer.from(String(offset + PAGE)).toString('base64url') : null,
    };
  }

  /** The owner declares (or with null clears) how unpinned renders spread over the versions. */
  async setSplit(ownerId: string, id: string, split: TrafficSplit | null): Promise<TemplateView> {
    const versions = await this.templates.versions(ownerId, id);
    if (!versions.length || versions[0].ownerId !== ownerId) throw notFoundError();
    const checked = split === null ? null : checkSplit(split, versions.map((v) => v.version));
    if (!(await this.templates.setSplit(ownerId, id, checked))) throw notFoundError();
    await this.cache.invalidate(id);
    return this.get(ownerId, id);
  }

  async remove(ownerId: string, id: string): Promise<void> {
    if (!(await this.templates.softDelete(ownerId, id))) throw notFoundError();
    await this.cache.invalidate(id);
  }
}
