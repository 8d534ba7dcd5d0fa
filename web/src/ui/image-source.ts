import type { ApiClient } from '../api/api-client';

/**
 * Points an <img> at an image URL of the API. Signed URLs (`?expires=&sig=`) go straight
 * into `src`; an unsigned one needs the bearer header, so it is fetched into a blob URL.
 */
export async function setImageSource(img: HTMLImageElement, url: string, api: ApiClient, variant = ''): Promise<void> {
  if (/[?&]sig=/.test(url) || url.startsWith('data:')) {
    img.src = url + variant;
    return;
  }
  const path = variant ? `${url}${url.includes('?') ? '&' : '?'}${variant.replace(/^[?&]/, '')}` : url;
  const token = api.sessions.current?.accessToken;
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    img.dispatchEvent(new Event('error'));
    return;
  }
  img.src = URL.createObjectURL(await response.blob());
  img.addEventListener('load', () => URL.revokeObjectURL(img.src), { once: true });
}
