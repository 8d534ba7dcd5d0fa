/**
 * ComfyUI names files; Atelier names images by id. An image is `<imageId>.png` on this surface
 * (what `/upload/image` answers, what history outputs list, what LoadImage takes), and `/view`
 * accepts any of the extensions it can convert to.
 */
export interface ComfyFileRef {
  filename: string;
  subfolder: '';
  type: 'output' | 'input' | 'temp';
}

export type ViewFormat = 'png' | 'jpeg' | 'webp';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMAT_OF_EXTENSION: Record<string, ViewFormat> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp' };

export const imageFileName = (imageId: string): string => `${imageId}.png`;

export const outputRef = (imageId: string): ComfyFileRef => ({ filename: imageFileName(imageId), subfolder: '', type: 'output' });

/**
 * `<imageId>.<png|jpg|jpeg|webp>`, with ComfyUI's optional `" [output]"` annotation and a
 * subfolder prefix ignored; null for anything that names no image.
 */
export function parseImageFileName(name: string): { imageId: string; format: ViewFormat } | null {
  const base = name.replace(/\s*\[(?:output|input|temp)\]$/, '').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  const id = dot < 0 ? base : base.slice(0, dot);
  const format = dot < 0 ? 'png' : FORMAT_OF_EXTENSION[base.slice(dot + 1).toLowerCase()];
  return UUID.test(id) && format ? { imageId: id.toLowerCase(), format } : null;
}
