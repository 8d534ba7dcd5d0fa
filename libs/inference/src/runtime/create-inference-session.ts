import { Logger } from '@nestjs/common';
import { InferenceSession } from 'onnxruntime-node';

export interface InferenceSessionLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** CPU threading of a session; onnxruntime's defaults where a field is absent. */
export interface SessionTuning {
  /** Threads per operator; 0 or absent = one per core. */
  intraOpThreads?: number;
  /**
   * Whether idle intra-op threads spin for the next run. Spinning shaves a little latency off
   * back-to-back runs but burns a core between jobs, which the worker's own pre/post-processing,
   * and on small machines the API and Postgres, need.
   */
  allowSpinning?: boolean;
}

export interface CreatedInferenceSession {
  session: InferenceSession;
  /** The execution provider the session really got, e.g. 'cpu' after a failed 'cuda'. */
  provider: string;
}

/**
 * Opens a model (a file path, or its bytes from the warm cache) with the first execution provider
 * that works, in the given order. onnxruntime-node does not fall back by itself: `['cuda', 'cpu']`
 * throws when CUDA is missing, so each provider gets its own attempt and the failure is logged.
 * `label` names the model in logs when `model` is bytes.
 */
export async function createInferenceSession(
  model: string | Uint8Array,
  providers: string[],
  logger: InferenceSessionLogger = new Logger('InferenceSession'),
  label: string = typeof model === 'string' ? model : 'model bytes',
  tuning: SessionTuning = {},
): Promise<CreatedInferenceSession> {
  const names = providers.map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0);
  if (names.length === 0) throw new Error('createInferenceSession: no execution providers given');
  const failures: string[] = [];
  for (const [index, provider] of names.entries()) {
    try {
      // Severity 3 (errors only): the Barracuda exports trigger harmless "unused initializer" warnings.
      const options: InferenceSession.SessionOptions = { executionProviders: [provider], logSeverityLevel: 3, ...tuningOptions(tuning) };
      // Two calls because the overloads (a path, or bytes) do not take the union.
      const session = typeof model === 'string' ? await InferenceSession.create(model, options) : await InferenceSession.create(model, options);
      logger.log(`Loaded ${label} with execution provider "${provider}"`);
      return { session, provider };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      failures.push(`${provider}: ${reason}`);
      const next = names[index + 1];
      logger.warn(`Execution provider "${provider}" unavailable for ${label} (${reason})${next ? `; trying "${next}"` : ''}`);
    }
  }
  throw new Error(`Could not open ${label} with any execution provider: ${failures.join('; ')}`);
}

function tuningOptions(tuning: SessionTuning): Partial<InferenceSession.SessionOptions> {
  return {
    ...(tuning.intraOpThreads ? { intraOpNumThreads: tuning.intraOpThreads } : {}),
    ...(tuning.allowSpinning === undefined ? {} : { extra: { session: { intra_op: { allow_spinning: tuning.allowSpinning ? '1' : '0' } } } }),
  };
}
