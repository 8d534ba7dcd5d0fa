import { DomainError } from '@atelier/platform';
import { WorkflowNodeError } from '@atelier/workflows';

/** `unavailable` codes a new attempt would not cure. */
const NOT_RETRIED = new Set(['MODEL_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);

export type AttemptOutcome = { kind: 'retry' } | { kind: 'fail'; code: string; message: string; node?: string; nodeType?: string };

/**
 * What a failed attempt means for its job. A DomainError is permanent (bad input, an image that
 * cannot be decoded, a crop out of bounds), except `unavailable` ones (a dependency down), which
 * are retried; MODEL_UNAVAILABLE is not, because during the model's cool-down every retry would
 * fail the same way, nor UPSTREAM_UNAVAILABLE, whose call already retried within its deadline. Anything else is retried until the attempts run out. A workflow node's
 * failure is judged by its cause and names the node.
 */
export function attemptOutcome(error: unknown, attempt: { made: number; max: number }): AttemptOutcome {
  const node = error instanceof WorkflowNodeError ? { node: error.node, nodeType: error.classType } : {};
  const cause = error instanceof WorkflowNodeError ? error.cause : error;
  const permanent = cause instanceof DomainError && (cause.kind !== 'unavailable' || NOT_RETRIED.has(cause.code));
  if (!permanent && attempt.made + 1 < attempt.max) return { kind: 'retry' };
  const message = cause instanceof DomainError ? cause.message : 'The job failed after several attempts';
  return {
    kind: 'fail',
    code: cause instanceof DomainError ? cause.code : 'JOB_FAILED',
    message: 'node' in node ? `Node ${node.node} (${node.nodeType}): ${message}` : message,
    ...node,
  };
}
