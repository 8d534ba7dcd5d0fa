/** ComfyUI's upscale_method choices for ImageScale and ImageScaleBy; sharp has a kernel for each. */
export const SCALE_METHODS = ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos'] as const;
