import { errorCatalog } from '@atelier/platform';

/** Codes the worker's own handlers end a job with (the models' codes live in @atelier/models). */
export const workerErrors = errorCatalog({
  CROP_OUT_OF_BOUNDS: 'invalid',
  CONTENT_REFUSED: 'invalid',
  INVALID_JOB: 'invalid',
});
