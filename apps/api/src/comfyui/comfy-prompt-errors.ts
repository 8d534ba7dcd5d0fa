import { DomainError } from '@atelier/platform';
import { STATUS_OF_KIND } from '../http/error-response';

/** ComfyUI's error object, in `/prompt`'s 400 body and in `node_errors`. */
export interface ComfyError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** An answer of POST /prompt that is not a 200: ComfyUI's body `{error, node_errors}`, with the status Atelier gives the condition. */
export class ComfyPromptRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: ComfyError; node_errors: Record<string, unknown> },
    readonly retryAfterSeconds?: number,
  ) {
    super(body.error.message);
  }

  static of(type: string, message: string, status = 400): ComfyPromptRefused {
    return new ComfyPromptRefused(status, { error: { type, message, details: message, extra_info: {} }, node_errors: {} });
  }

  /**
   * An invalid graph is ComfyUI's 400 with its `error` and `node_errors` as validation made them;
   * anything else Atelier refuses (credits, rate, plan) keeps its status and code, in the same body
   * shape, so a ComfyUI client shows the reason.
   */
  static fromDomain(error: DomainError): ComfyPromptRefused {
    if (error.code === 'INVALID_WORKFLOW' && error.details?.error) {
      const details = error.details as { error: ComfyError; nodeErrors?: Record<string, unknown> };
      return new ComfyPromptRefused(400, { error: details.error, node_errors: details.nodeErrors ?? {} });
    }
    const status = error.kind === 'invalid' ? 400 : STATUS_OF_KIND[error.kind];
    const retryAfter = Number(error.details?.retryAfterSeconds) || undefined;
    return new ComfyPromptRefused(
      status,
      { error: { type: error.code, message: error.message, details: error.message, extra_info: error.details ?? {} }, node_errors: {} },
      retryAfter,
    );
  }
}
