import { AtelierError } from '../../../client/src';

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** One sentence a person can act on, from an API error code and its details. */
export function describeError(error: unknown): string {
  if (!(error instanceof AtelierError)) {
    return error instanceof TypeError ? 'The server cannot be reached. Check your connection and try again.' : String((error as Error)?.message ?? error);
  }
  const details = error.details ?? {};
  switch (error.status) {
    case 402: {
      const { cost, available } = details as { cost?: number; available?: number };
      return cost !== undefined ? `Not enough credits: this job costs ${cost}, you have ${available ?? 0} available.` : `Not enough credits. ${error.message}`;
    }
    case 429:
      return `${sentence(error.message)}${error.retryAfterSeconds ? ` Try again in ${error.retryAfterSeconds} s.` : ''}`;
    case 422: {
      const fields = (details as { fields?: Array<{ path: string; message: string }> }).fields;
      return fields?.length ? `Please fix: ${fields.map((f) => f.message.replace(/^"([^"]+)"/, '$1')).join('; ')}.` : error.message;
    }
    case 503:
      return `The service is busy or partly down (${error.message}). Try again shortly.`;
    default:
      return error.message;
  }
}
