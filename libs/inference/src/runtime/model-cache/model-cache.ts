import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { BrokenCircuitError, type LoadedModel, ModelCacheEntry, type ModelCacheCounters, type ModelCacheStatus } from './model-cache-entry';
import type { ModelCacheOptions } from './model-cache-options';
import type { SessionTuning } from '../create-inference-session';
import { ModelFiles } from './model-files';
import { modelErrors } from '@atelier/models';

export type ModelOpener<T extends LoadedModel> = (files: ModelFiles) => Promise<T>;

/** A defined model: `use` loads it if needed and keeps it from being released while `fn` runs. */
export interface ModelHandle<T extends LoadedModel> {
  readonly modelId: string;
  use<R>(fn: (model: T) => Promise<R>): Promise<R>;
}

export interface ModelCacheDeps {
  modelsDir: string;
  executionProviders: string[];
  sessionTuning?: SessionTuning;
  /** A model's files (from its manifest): their sizes estimate its hot size; the first is the default file. */
  filesOf(modelId: string): Array<{ name: string; sizeBytes: number }>;
  now?: () => number;
  logger?: Pick<Logger, 'log' | 'warn'>;
}

/**
 * Three tiers of models for the worker. Hot models hold their sessions within `hotBytes`; the least
 * recently used idle one steps down to warm when another needs room. Warm models keep their weights
 * in RAM within `warmBytes`. Idle models step down one tier per `idleTtlMs`. One load at a time per
 * model: concurrent uses wait for it. A failed load marks the model unhealthy and opens its breaker,
 * so uses fail fast with MODEL_UNAVAILABLE until the cool-down ends and one load is tried again.
 */
export class ModelCache {
  private readonly entries = new Map<string, ModelCacheEntry>();
  private readonly openers = new Map<string, ModelOpener<LoadedModel>>();
  /** Derived entries (a model with LoRAs merged) read the files of the model they derive from. */
  private readonly sources = new Map<string, string>();
  private readonly now: () => number;
  private readonly logger: Pick<Logger, 'log' | 'warn'>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly options: ModelCacheOptions,
    private readonly deps: ModelCacheDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.logger = deps.logger ?? new Logger(ModelCache.name);
  }

  /**
   * Declares how a model is opened; defining an id twice returns the first definition's handle.
   * `derived.from` makes an entry of its own (own tier, memory cost and breaker) over another
   * model's files, e.g. a model with a LoRA combination merged in; `extraBytes` adds to its size.
   */
  define<T extends LoadedModel>(modelId: string, opener: ModelOpener<T>, derived?: { from: string; extraBytes?: number }): ModelHandle<T> {
    if (!this.openers.has(modelId)) {
      this.openers.set(modelId, opener);
      if (derived) this.sources.set(modelId, derived.from);
      const bytes = this.deps.filesOf(derived?.from ?? modelId).reduce((n, f) => n + f.sizeBytes, 0) + (derived?.extraBytes ?? 0);
      this.entries.set(modelId, new ModelCacheEntry(modelId, bytes, this.options.failureCooldownMs));
    }
    return { modelId, use: (fn) => this.use(modelId, fn as (model: LoadedModel) => Promise<never>) };
  }

  isDefined(modelId: string): boolean {
    return this.openers.has(modelId);
  }

  async use<R>(modelId: string, fn: (model: LoadedModel) => Promise<R>): Promise<R> {
    const entry = this.entry(modelId);
    entry.refs += 1;
    try {
      const model = await this.acquire(entry);
      entry.lastUsed = this.now();
      return await fn(model);
    } finally {
      entry.refs -= 1;
      entry.idleSince = this.now();
    }
  }

  /** Loads the configured models (start-up); an unknown id is a configuration error. */
  async preload(): Promise<void> {
    const unknown = this.options.preload.filter((id) => !this.openers.has(id));
    if (unknown.length > 0) {
      throw new Error(`MODEL_PRELOAD names unknown model(s) ${unknown.join(', ')}; known: ${[...this.openers.keys()].join(', ')}`);
    }
    for (const id of this.options.preload) {
      await this.load(id).catch((error: Error) => this.logger.warn(`preload of ${id} failed: ${error.message}`));
    }
  }

  /** Makes one model hot now (an operator's preload); throws for an unknown id and when the load fails. */
  async load(modelId: string): Promise<void> {
    await this.use(modelId, async () => undefined);
  }

  /**
   * Releases a model's session and its weights in RAM (cold), as ComfyUI's /free does. A model in
   * use is left alone (false): its jobs keep running and the idle timer releases it later.
   */
  async unload(modelId: string): Promise<boolean> {
    const entry = this.entry(modelId);
    await entry.loading?.catch(() => undefined);
    if (entry.refs > 0) return false;
    if (entry.model) await this.demote(entry, 'unloaded');
    if (entry.bytes) this.dropBytes(entry, 'unloaded');
    return true;
  }

  status(modelId: string): ModelCacheStatus | undefined {
    return this.entries.get(modelId)?.status();
  }

  counters(): Array<{ modelId: string } & ModelCacheCounters> {
    return [...this.entries.values()].map((e) => ({ modelId: e.modelId, ...e.counters }));
  }

  /** Steps idle models down a tier; runs on a timer (see start) and directly in tests. */
  async sweep(): Promise<void> {
    const now = this.now();
    for (const entry of this.entries.values()) {
      if (entry.refs > 0 || entry.loading || now - entry.idleSince < this.options.idleTtlMs) continue;
      if (entry.model) await this.demote(entry, 'idle');
      else if (entry.bytes) this.dropBytes(entry, 'idle');
    }
  }

  /** Nest start-up hook: the idle timer, then the preload list. */
  async onApplicationBootstrap(): Promise<void> {
    this.start();
    await this.preload();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  start(): void {
    const every = Math.max(50, Math.min(this.options.idleTtlMs / 2, 30_000));
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  /** Releases everything (shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.entries.values()].map(async (entry) => {
      await entry.loading?.catch(() => undefined);
      const model = entry.model;
      entry.model = undefined;
      entry.bytes = undefined;
      await model?.release();
    }));
  }

  private entry(modelId: string): ModelCacheEntry {
    const entry = this.entries.get(modelId);
    if (!entry) throw new Error(`Model "${modelId}" has no opener defined in the model cache`);
    return entry;
  }

  private acquire(entry: ModelCacheEntry): Promise<LoadedModel> {
    if (entry.model) {
      entry.counters.hits += 1;
      return Promise.resolve(entry.model);
    }
    entry.counters.misses += 1;
    entry.loading ??= this.loadEntry(entry).finally(() => {
      entry.loading = undefined;
    });
    return entry.loading;
  }

  private async loadEntry(entry: ModelCacheEntry): Promise<LoadedModel> {
    try {
      return await entry.breaker.execute(() => this.open(entry));
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw modelErrors('MODEL_UNAVAILABLE', `Model ${entry.modelId} is unavailable (${entry.error}); it is retried after a cool-down`, { model: entry.modelId });
      }
      const reason = error instanceof Error ? error.message : String(error);
      entry.error = reason;
      entry.counters.failures += 1;
      this.logger.warn(`model ${entry.modelId} failed to load: ${reason}`);
      throw modelErrors('MODEL_UNAVAILABLE', `Model ${entry.modelId} could not be loaded: ${reason}`, { model: entry.modelId });
    }
  }

  private async open(entry: ModelCacheEntry): Promise<LoadedModel> {
    await this.makeRoom(entry);
    const tier = entry.tier;
    const source = this.sources.get(entry.modelId) ?? entry.modelId;
    const files = new ModelFiles(entry.modelId, join(this.deps.modelsDir, source), this.deps.filesOf(source).map((f) => f.name), {
      providers: this.deps.executionProviders,
      tuning: this.deps.sessionTuning,
      logger: this.logger,
      warm: entry.bytes,
    });
    const started = this.now();
    const model = await this.openers.get(entry.modelId)!(files);
    entry.model = model;
    entry.loadMs = this.now() - started;
    entry.provider = model.provider;
    entry.error = undefined;
    entry.counters.loads += 1;
    const retained = files.retained();
    entry.bytes = retained.size > 0 ? retained : undefined;
    this.trimWarm(entry);
    this.logger.log(`model ${entry.modelId} hot on ${model.provider} in ${entry.loadMs} ms (was ${tier})`);
    return model;
  }

  /** Steps the least recently used idle hot models down until `incoming` fits the hot budget. */
  private async makeRoom(incoming: ModelCacheEntry): Promise<void> {
    const hot = () => [...this.entries.values()].filter((e) => e.model);
    let used = hot().reduce((sum, e) => sum + e.sizeBytes, 0);
    const idle = hot().filter((e) => e.refs === 0).sort((a, b) => (a.lastUsed ?? 0) - (b.lastUsed ?? 0));
    while (used + incoming.sizeBytes > this.options.hotBytes && idle.length > 0) {
      const victim = idle.shift()!;
      used -= victim.sizeBytes;
      await this.demote(victim, `room for ${incoming.modelId}`);
    }
    if (used + incoming.sizeBytes > this.options.hotBytes) {
      this.logger.warn(`hot models exceed the budget (${used + incoming.sizeBytes} > ${this.options.hotBytes} bytes): the rest are in use`);
    }
  }

  private async demote(entry: ModelCacheEntry, why: string): Promise<void> {
    const model = entry.model;
    entry.model = undefined;
    entry.idleSince = this.now();
    entry.counters.evictions += 1;
    await model?.release();
    this.logger.log(`model ${entry.modelId} released (${why}), now ${entry.tier}`);
  }

  private dropBytes(entry: ModelCacheEntry, why: string): void {
    entry.bytes = undefined;
    entry.idleSince = this.now();
    this.logger.log(`model ${entry.modelId} weights dropped from RAM (${why}), now ${entry.tier}`);
  }

  /** Drops the least recently used weights until the RAM copies fit `warmBytes` (the newest may be dropped too). */
  private trimWarm(newest: ModelCacheEntry): void {
    const holders = [...this.entries.values()].filter((e) => e.bytes);
    let used = holders.reduce((sum, e) => sum + e.bytesSize, 0);
    const order = holders.sort((a, b) => (a === newest ? 1 : b === newest ? -1 : (a.lastUsed ?? 0) - (b.lastUsed ?? 0)));
    for (const entry of order) {
      if (used <= this.options.warmBytes) break;
      used -= entry.bytesSize;
      this.dropBytes(entry, 'warm budget');
    }
  }
}
