import type { ErrorResponse } from '../http/error-response';

/** OpenAI's error body, which its SDKs read into typed errors (`OpenAI.BadRequestError`…). */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/** `type` as OpenAI uses it, by status. */
function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Atelier's job input fields by the OpenAI parameter the caller sent. */
const PARAM_OF_FIELD: Record<string, string> = {
  batch: 'n',
  width: 'size',
  height: 'size',
  imageId: 'image',
  maskImageId: 'mask',
  negativePrompt: 'negative_prompt',
};

/** Codes that name no field but are about one parameter. */
const PARAM_OF_CODE: Record<string, string> = { BATCH_OVER_PLAN: 'n', PIXELS_OVER_PLAN: 'size' };

function fieldOf(details: Record<string, unknown> | undefined): string | undefined {
  if (typeof details?.field === 'string') return details.field;
  const [first] = Array.isArray(details?.fields) ? (details.fields as Array<{ path?: unknown }>) : [];
  return typeof first?.path === 'string' && first.path ? first.path : undefined;
}

/** The API's error answer in OpenAI's shape: `code` is Atelier's, `param` the OpenAI parameter at fault. */
export function toOpenAiError({ statusCode, code, message, details }: ErrorResponse): OpenAiErrorBody {
  const field = fieldOf(details)?.replace(/^input\./, '').split('.')[0];
  const param = (field && (PARAM_OF_FIELD[field] ?? field)) || PARAM_OF_CODE[code] || null;
  return { error: { message, type: typeOf(statusCode), param, code } };
}
