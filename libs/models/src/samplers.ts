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
  { name: 'dpmpp-2m', comfyName: 'dpmpp_2m' },
  { name: 'dpmpp-2m-sde', comfyName: 'dpmpp_2m_sde' },
  { name: 'unipc', comfyName: 'uni_pc' },
  { name: 'unipc-bh2', comfyName: 'uni_pc_bh2' },
] as const;

export type SamplerName = (typeof SAMPLERS)[number]['name'];
export const SAMPLER_NAMES = SAMPLERS.map((s) => s.name) as [SamplerName, ...SamplerName[]];

/**
 * The sigma schedules the pipeline implements, by ComfyUI's `scheduler` names: `normal` is the
 * model's own (its scheduler_config.json's timestep spacing); `karras`, `exponential` and
 * `simple` place the sigmas themselves. Job inputs take them as `sigmaSchedule`.
 */
export const SIGMA_SCHEDULES = ['normal', 'karras', 'exponential', 'simple'] as const;

export type SigmaSchedule = (typeof SIGMA_SCHEDULES)[number];

/** The samplers that run on the model's own timesteps only (DDPM-style), so take no other sigma schedule. */
export const FIXED_SCHEDULE_SAMPLERS: readonly SamplerName[] = ['ddim', 'lcm'];

export const samplerByComfyName = (comfyName: string): SamplerName | undefined => SAMPLERS.find((s) => s.comfyName === comfyName)?.name;
