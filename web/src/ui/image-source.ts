import type { AtelierClient } from '../../../client/src';

/**
 * Points an <img> at an image URL of the API. Signed URLs (`?expires=&sig=`) go straight
 * into `src`; an unsigned one needs the bearer header, so it is fetched into a blob URL.
 */
export async function setImageSource(img: HTMLImageElement, url: string, api: AtelierClient, variant = ''): Promise<void> {
  if (/[?&]sig=/.test(url) || url.startsWith('data:')) {
    img.src = url + variant;
    return;
  }
  const path = variant ? `${url}${url.includes('?') ? '&' : '?'}${variant.replace(/^[?&]/, '')}` : url;
  let blob: Blob;
  try {
    blob = await api.downloadBlob(path);
  } catch {
    img.dispatchEvent(new Event('error'));
    return;
  }
  img.src = URL.createObjectURL(blob);
  img.addEventListener('load', () => URL.revokeObjectURL(img.src), { once: true });
}
