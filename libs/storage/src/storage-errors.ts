import { errorCatalog } from '@atelier/platform';

/** Images and the blob store. */
export const storageErrors = errorCatalog({
  IMAGE_NOT_FOUND: 'not_found',
  UNSUPPORTED_IMAGE: 'unsupported_media',
  IMAGE_TOO_LARGE: 'invalid',
  IMAGE_UNDECODABLE: 'invalid',
  INVALID_SIGNATURE: 'forbidden',
  STORAGE_QUOTA_EXCEEDED: 'forbidden',
  BLOB_MISSING: 'unavailable',
  STORAGE_UNAVAILABLE: 'unavailable',
  STORAGE_FULL: 'unavailable',
});
