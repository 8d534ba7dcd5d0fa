const SAFE_KEY = /^[a-f0-9]{64}(\/[a-z0-9._-]+)?$/;

/**
 * The relative path of a blob, shared by the drivers so both lay blobs out alike:
 * `ab/cd/<sha>` for an original, `ab/cd/<sha>-variants/<variant>` for a derived image
 * (beside the original, so the original stays a plain file and its variants one prefix).
 */
export function blobPath(key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`invalid blob key: ${key}`);
  const [sha, variant] = key.split('/');
  const dir = `${sha.slice(0, 2)}/${sha.slice(2, 4)}`;
  return variant ? `${dir}/${sha}-variants/${variant}` : `${dir}/${sha}`;
}
