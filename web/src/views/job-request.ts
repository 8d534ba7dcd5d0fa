import type { JobRequest } from '../api/types';

export type { JobRequest };

export const NEEDS_IMAGE: ReadonlySet<string> = new Set(['img2img', 'upscale', 'resize', 'crop', 'filter', 'ocr', 'detect-faces', 'detect-lines']);

/**
 * Reads the enabled controls of the job form (the fieldsets of other job types are
 * disabled, so their fields are absent) into a job body. Blank optional numbers are left
 * out; the API validates the rest and answers 422 with the fields at fault.
 */
export function readJobRequest(form: HTMLFormElement, imageId: string | null): JobRequest {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const number = (name: string) => (text(name) === '' ? undefined : Number(text(name)));
  const type = text('type');
  const input: Record<string, unknown> = {};
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== '') input[name] = value;
  };
  if (NEEDS_IMAGE.has(type)) set('imageId', imageId ?? undefined);
  switch (type) {
    case 'txt2img':
    case 'img2img': {
      if (text('templateId')) {
        set('templateId', text('templateId'));
        set('subject', text('subject'));
      } else set('prompt', text('prompt'));
      set('negativePrompt', text('negativePrompt'));
      const [width, height] = text('size').split('x').map(Number);
      Object.assign(input, { width, height, steps: number('steps'), guidance: number('guidance'), batch: number('batch') });
      set('seed', number('seed'));
      if (type === 'img2img') set('strength', number('strength'));
      break;
    }
    case 'upscale':
      set('scale', number('scale'));
      break;
    case 'resize':
      set('width', number('width'));
      set('height', number('height'));
      set('fit', text('fit'));
      break;
    case 'crop':
      for (const name of ['left', 'top', 'width', 'height']) set(name, number(name));
      break;
    case 'filter':
      set('filter', text('filter'));
      set('amount', number('amount'));
      break;
  }
  for (const [key, value] of Object.entries(input)) if (value === undefined) delete input[key];
  return { type, ...(text('model') ? { model: text('model') } : {}), input };
}

/** A one-line summary of a job body, for job cards and the image detail view. */
export function describeRequest(request: JobRequest): string {
  const { imageId: _imageId, prompt, ...rest } = request.input;
  const params = Object.entries(rest).map(([key, value]) => `${key} ${String(value)}`);
  return [prompt ? `“${String(prompt)}”` : '', ...params].filter(Boolean).join(' · ');
}
