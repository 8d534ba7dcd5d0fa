import { errorCatalog } from '@atelier/platform';

/** Conditions about models that a job can meet, at submit (API) and when it runs (worker). */
export const modelErrors = errorCatalog({
  UNKNOWN_MODEL: 'invalid',
  MODEL_WRONG_PIPELINE: 'invalid',
  MODEL_CANNOT_IMG2IMG: 'invalid',
  MODEL_UNAVAILABLE: 'unavailable',
});
