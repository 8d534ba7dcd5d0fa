import { errorCatalog } from '@atelier/platform';

/** The admin routes that steer workers: a worker or a model named in the path that is not there. */
export const workerAdminErrors = errorCatalog({
  WORKER_NOT_FOUND: 'not_found',
  MODEL_NOT_FOUND: 'not_found',
});
