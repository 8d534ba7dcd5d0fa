import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { type CreatedInferenceSession, createInferenceSession, type InferenceSessionLogger, type SessionTuning } from '../create-inference-session';

/** A model that is one ONNX session: what most detectors need. */
export interface SessionModel {
  session: InferenceSession;
  provider: string;
  release(): Promise<void>;
}

/**
 * What an opener gets to load one model: its prepared files by name, read from the warm cache
 * when the bytes are still in RAM, and sessions opened with the configured provider fallback.
 */
export class ModelFiles {
  private readonly read = new Map<string, Uint8Array>();

  readonly providers: string[];
  readonly logger: InferenceSessionLogger;
  readonly tuning: SessionTuning;
  private readonly warm: ReadonlyMap<string, Uint8Array>;

  constructor(
    readonly modelId: string,
    readonly dir: string,
    /** The manifest's file names; the first is the default file. */
    readonly names: string[],
    options: { providers: string[]; logger: InferenceSessionLogger; tuning?: SessionTuning; warm?: ReadonlyMap<string, Uint8Array> },
  ) {
    this.providers = options.providers;
    this.logger = options.logger;
    this.tuning = options.tuning ?? {};
    this.warm = options.warm ?? new Map();
  }

  /** The file's path, for engines that must open by path (e.g. weights with external data files). */
  path(name: string = this.defaultName()): string {
    const path = join(this.dir, name);
    if (!existsSync(path)) {
      throw new Error(`Model file ${path} is missing; run \`npm run models:prepare\` (with the same MODELS_DIR)`);
    }
    return path;
  }

  /** The file's bytes: from RAM when the model is warm, else from disk (and then kept for the warm tier). */
  async bytes(name: string = this.defaultName()): Promise<Uint8Array> {
    const cached = this.warm.get(name) ?? this.read.get(name) ?? (await readFile(this.path(name)));
    this.read.set(name, cached);
    return cached;
  }

  /** A session on the first execution provider that works, built from the file's bytes. */
  async openSession(name: string = this.defaultName()): Promise<CreatedInferenceSession> {
    return createInferenceSession(await this.bytes(name), this.providers, this.logger, `${this.modelId}/${name}`, this.tuning);
  }

  private defaultName(): string {
    const first = this.names[0];
    if (first === undefined) throw new Error(`Model "${this.modelId}" lists no files`);
    return first;
  }

  /** `openSession` wrapped as a model the cache can release. */
  async openSessionModel(name?: string): Promise<SessionModel> {
    const { session, provider } = await this.openSession(name);
    return { session, provider, release: () => session.release() };
  }

  /** The bytes this load read, which the cache may keep so the next load skips the disk. */
  retained(): Map<string, Uint8Array> {
    return new Map(this.read);
  }
}
