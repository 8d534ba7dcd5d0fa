/** How the worker keeps models: hot (a session on the device), warm (weights in RAM), cold (on disk). */
export interface ModelCacheOptions {
  /** Budget for hot models, estimated by the size of their weight files (VRAM on CUDA, RAM on CPU). */
  hotBytes: number;
  /** Budget for weight bytes kept in RAM so a released session is cheap to rebuild. */
  warmBytes: number;
  /** A model unused this long steps down one tier (hot → warm → cold); Immich uses 300 s. */
  idleTtlMs: number;
  /** Model ids loaded at start-up. */
  preload: string[];
  /** After a failed load, uses of that model fail fast with MODEL_UNAVAILABLE this long, then it is tried again. */
  failureCooldownMs: number;
}

export const DEFAULT_MODEL_CACHE_OPTIONS: ModelCacheOptions = {
  hotBytes: 4 * 1024 ** 3,
  warmBytes: 1024 ** 3,
  idleTtlMs: 300_000,
  preload: [],
  failureCooldownMs: 30_000,
};
