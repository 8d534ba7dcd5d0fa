import { Logger } from '@nestjs/common';
import { InferenceSession } from 'onnxruntime-node';

export interface InferenceSessionLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface CreatedInferenceSession {
  session: InferenceSession;
  /** The execution provider the session really got, e.g. 'cpu' after a failed 'cuda'. */
  provider: string;
}

/**
 * Opens `modelPath` with the first execution provider that works, in the given order.
 * onnxruntime-node does not fall back by itself: `['cuda', 'cpu']` throws when CUDA is
 * missing, so each provider gets its own attempt and the failure is logged.
 */
export async function createInferenceSession(
  modelPath: string,
  providers: string[],
  logger: InferenceSessionLogger = new Logger('InferenceSession'),
): Promise<CreatedInferenceSession> {
  const names = providers.map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0);
  if (names.length === 0) throw new Error('createInferenceSession: no execution providers given');
  const failures: string[] = [];
  for (const [index, provider] of names.entries()) {
    try {
      // Severity 3 (errors only): the Barracuda exports trigger harmless "unused initializer" warnings.
      const session = await InferenceSession.create(modelPath, { executionProviders: [provider], logSeverityLevel: 3 });
      logger.log(`Loaded ${modelPath} with execution provider "${provider}"`);
      return { session, provider };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      failures.push(`${provider}: ${reason}`);
      const next = names[index + 1];
      logger.warn(`Execution provider "${provider}" unavailable for ${modelPath} (${reason})${next ? `; trying "${next}"` : ''}`);
    }
  }
  throw new Error(`Could not open ${modelPath} with any execution provider: ${failures.join('; ')}`);
}
