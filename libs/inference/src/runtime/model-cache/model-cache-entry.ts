import { BrokenCircuitError, type CircuitBreakerPolicy, circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';

/** A loaded model: whatever its opener built (sessions, pipelines), with the provider it really runs on. */
export interface LoadedModel {
  readonly provider: string;
  release(): Promise<void>;
}

export type ModelTier = 'hot' | 'warm' | 'cold';

/** What /v1/models shows for one model on this worker. */
export interface ModelCacheStatus {
  state: ModelTier;
  provider?: string;
  loadMs?: number;
  lastUsed?: Date;
  healthy: boolean;
  error?: string;
}

export interface ModelCacheCounters {
  hits: number;
  misses: number;
  loads: number;
  failures: number;
  evictions: number;
}

/** One model's place in the cache. Mutated only by ModelCache. */
export class ModelCacheEntry<T extends LoadedModel = LoadedModel> {
  model?: T;
  loading?: Promise<T>;
  /** Weight bytes kept in RAM (while hot too, so stepping down to warm costs nothing). */
  bytes?: Map<string, Uint8Array>;
  /** Uses in flight: an entry in use is never released. */
  refs = 0;
  lastUsed?: number;
  /** When the entry last changed tier or was last used: the idle clock of the TTL. */
  idleSince = 0;
  loadMs?: number;
  provider?: string;
  error?: string;
  readonly counters: ModelCacheCounters = { hits: 0, misses: 0, loads: 0, failures: 0, evictions: 0 };
  /** One failed load opens it; after the cool-down the next use tries one load again. */
  readonly breaker: CircuitBreakerPolicy;

  constructor(
    readonly modelId: string,
    readonly sizeBytes: number,
    failureCooldownMs: number,
  ) {
    this.breaker = circuitBreaker(handleAll, { halfOpenAfter: failureCooldownMs, breaker: new ConsecutiveBreaker(1) });
  }

  get bytesSize(): number {
    let total = 0;
    for (const b of this.bytes?.values() ?? []) total += b.byteLength;
    return total;
  }

  get tier(): ModelTier {
    return this.model ? 'hot' : this.bytes ? 'warm' : 'cold';
  }

  status(): ModelCacheStatus {
    const healthy = this.error === undefined;
    return {
      state: this.tier,
      ...(this.model ? { provider: this.model.provider } : this.provider ? { provider: this.provider } : {}),
      ...(this.loadMs !== undefined ? { loadMs: this.loadMs } : {}),
      ...(this.lastUsed !== undefined ? { lastUsed: new Date(this.lastUsed) } : {}),
      healthy,
      ...(healthy ? {} : { error: this.error }),
    };
  }
}

export { BrokenCircuitError };
