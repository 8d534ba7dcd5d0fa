import { errorCatalog } from '@atelier/platform';

/** Templates, prompts and ratings: the API's own modules' codes. */
export const templateErrors = errorCatalog({
  TEMPLATE_NOT_FOUND: 'not_found',
  MISSING_VARIABLES: 'invalid',
  INVALID_SPLIT: 'invalid',
  INVALID_CURSOR: 'bad_request',
});
