import { Injectable } from '@nestjs/common';
import { RedisConnections } from '@atelier/platform';
import type { TemplateView } from './template.types';

const TTL_SECONDS = 300;

/**
 * Template reads from Redis. Entries are keyed by template and version ("latest" too) and
 * dropped when a new version is written or the template deleted; visibility is checked by
 * the caller on every hit, so a cached public template never leaks a private one.
 */
@Injectable()
export class TemplateCache {
  hits = 0;
  misses = 0;

  constructor(private readonly redis: RedisConnections) {}

  private key(id: string, version?: number): string {
    return `${this.redis.prefix}templates:${id}:${version ?? 'latest'}`;
  }

  /** Cache-aside; a Redis failure falls back to the loader, never to an error. */
  async read(id: string, version: number | undefined, load: () => Promise<TemplateView | null>): Promise<TemplateView | null> {
    const cached = await this.redis.shared.get(this.key(id, version)).catch(() => null);
    if (cached) {
      this.hits++;
      return JSON.parse(cached) as TemplateView;
    }
    this.misses++;
    const value = await load();
    if (value) await this.redis.shared.set(this.key(id, version), JSON.stringify(value), 'EX', TTL_SECONDS).catch(() => undefined);
    return value;
  }

  async invalidate(id: string): Promise<void> {
    const keys = await this.redis.shared.keys(`${this.redis.prefix}templates:${id}:*`).catch(() => [] as string[]);
    if (keys.length) await this.redis.shared.del(...keys).catch(() => undefined);
  }

  hitRate(): number {
    return this.hits + this.misses ? this.hits / (this.hits + this.misses) : 0;
  }
}
