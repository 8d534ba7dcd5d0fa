import { Injectable } from '@nestjs/common';
import type { CachedNode, NodeCache } from '@atelier/workflows';
import { AppConfig } from '@atelier/platform';

/** The bytes a cached result holds: its images; other values are small. */
function sizeOf(value: unknown, seen = new Set<unknown>()): number {
  if (Buffer.isBuffer(value)) return value.length;
  if (!value || typeof value !== 'object' || seen.has(value)) return 64;
  seen.add(value);
  return Object.values(value).reduce((sum: number, v) => sum + sizeOf(v, seen), 64);
}

/**
 * Workflow node results by owner and signature, least recently used first out, within
 * WORKFLOW_CACHE_MB. In memory per worker, as ComfyUI keeps its cache: a graph resubmitted to
 * another worker computes again, which costs time, never correctness.
 */
@Injectable()
export class NodeResultCache {
  private readonly entries = new Map<string, { result: CachedNode; bytes: number }>();
  private bytes = 0;
  private readonly budget: number;

  constructor(config: AppConfig) {
    this.budget = config.workflowCacheMb * 1024 * 1024;
  }

  /** The cache one owner's workflow sees: another owner's results are never in it. */
  forOwner(ownerId: string): NodeCache {
    return {
      get: (signature) => this.get(`${ownerId}:${signature}`),
      set: (signature, result) => this.set(`${ownerId}:${signature}`, result),
    };
  }

  private get(key: string): CachedNode | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.result;
  }

  private set(key: string, result: CachedNode): void {
    const bytes = sizeOf(result);
    if (bytes > this.budget) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { result, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }
}
