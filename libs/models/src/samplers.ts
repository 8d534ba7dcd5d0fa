/**
 * The samplers the generation pipeline implements, under Atelier's name (job inputs) and ComfyUI's
 * (workflow nodes' `sampler_name`). The job schema, the node catalog and the inference lib's
 * scheduler factory all read this list; a test checks the factory implements every entry.
 */
export const SAMPLERS = [
  { name: 'euler', comfyName: 'euler' },
  { name: 'euler-a', comfyName: 'euler_ancestral' },
  { name: 'ddim', comfyName: 'ddim' },
  { name: 'lcm', comfyName: 'lcm' },
] as const;

export type SamplerName = (typeof SAMPLERS)[number]['name'];
export const SAMPLER_NAMES = SAMPLERS.map((s) => s.name) as [SamplerName, ...SamplerName[]];

/** The sigma schedules the pipeline implements, by ComfyUI's `scheduler` names: today the model's own training schedule. */
export const SIGMA_SCHEDULES = ['normal'] as const;

export const samplerByComfyName = (comfyName: string): SamplerName | undefined => SAMPLERS.find((s) => s.comfyName === comfyName)?.name;
