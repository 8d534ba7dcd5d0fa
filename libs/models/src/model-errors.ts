import { errorCatalog } from '@atelier/platform';

/** Conditions about models that a job can meet, at submit (API) and when it runs (worker). */
export const modelErrors = errorCatalog({
  UNKNOWN_MODEL: 'invalid',
  MODEL_WRONG_PIPELINE: 'invalid',
  MODEL_CANNOT_IMG2IMG: 'invalid',
  MODEL_UNAVAILABLE: 'unavailable',
  /** A remote model's upstream hosts could not take the job within its deadline (all down, ejected or timing out). */
  UPSTREAM_UNAVAILABLE: 'unavailable',
  /** The upstream refused the request (a 4xx): retrying would not help. */
  UPSTREAM_REJECTED: 'invalid',
  /** The upstream ran the prompt and it failed there (an execution error, or no image in the output node). */
  UPSTREAM_FAILED: 'invalid',
});
