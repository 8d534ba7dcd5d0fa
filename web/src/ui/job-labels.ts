/** Page wording for the job types it knows; a new type from the API shows under its own name. */
const LABELS: Record<string, string> = {
  txt2img: 'Text to image',
  img2img: 'Image to image',
  upscale: 'Upscale',
  resize: 'Resize',
  crop: 'Crop',
  filter: 'Filter',
  'smart-crop': 'Smart crop',
  ocr: 'Read text (OCR)',
  'detect-faces': 'Detect faces',
  'detect-lines': 'Detect lines',
  workflow: 'Workflow (node graph)',
};

export function jobTypeLabel(type: string): string {
  return LABELS[type] ?? type;
}
