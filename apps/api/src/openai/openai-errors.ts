import { errorCatalog } from '@atelier/platform';

/** Requests of the OpenAI Images surface that the rest of the API cannot get. */
export const openaiErrors = errorCatalog({
  INVALID_SIZE: 'bad_request',
  TOO_MANY_IMAGES: 'bad_request',
  MASK_NOT_SUPPORTED: 'bad_request',
  STREAMING_NOT_SUPPORTED: 'bad_request',
});
