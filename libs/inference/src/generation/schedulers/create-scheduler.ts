import { FIXED_SCHEDULE_SAMPLERS, SAMPLER_NAMES, type SigmaSchedule } from '@atelier/models';
import { DdimScheduler } from './ddim';
import { DpmppTwoMScheduler } from './dpmpp-2m';
import { DpmppTwoMSdeScheduler } from './dpmpp-2m-sde';
import { EulerAncestralScheduler } from './euler-ancestral';
import { EulerDiscreteScheduler } from './euler-discrete';
import { LcmScheduler } from './lcm';
import type { Scheduler, SchedulerConfig, SchedulerName } from './scheduler';
import { UniPcScheduler } from './unipc';

export const SCHEDULER_NAMES: readonly SchedulerName[] = SAMPLER_NAMES;

/**
 * A scheduler set up for `steps` denoising steps, from a diffusers scheduler_config.json, with
 * the sigma schedule `schedule` (the sigma-space samplers; DDIM and LCM take only 'normal').
 * Multistep samplers keep state: one instance per sample and run.
 */
export function createScheduler(name: SchedulerName, config: SchedulerConfig, steps: number, schedule: SigmaSchedule = 'normal'): Scheduler {
  if (schedule !== 'normal' && FIXED_SCHEDULE_SAMPLERS.includes(name)) {
    throw new Error(`Scheduler ${name} runs on the model's own timesteps only; sigma schedule ${JSON.stringify(schedule)} needs a sigma-space sampler`);
  }
  switch (name) {
    case 'euler':
      return new EulerDiscreteScheduler(config, steps, schedule);
    case 'euler-a':
      return new EulerAncestralScheduler(config, steps, schedule);
    case 'ddim':
      return new DdimScheduler(config, steps);
    case 'lcm':
      return new LcmScheduler(config, steps);
    case 'dpmpp-2m':
      return new DpmppTwoMScheduler(config, steps, schedule);
    case 'dpmpp-2m-sde':
      return new DpmppTwoMSdeScheduler(config, steps, schedule);
    case 'unipc':
      return new UniPcScheduler(config, steps, schedule, 'bh1');
    case 'unipc-bh2':
      return new UniPcScheduler(config, steps, schedule, 'bh2');
    default:
      // Names can arrive from untyped JSON; fail loudly rather than fall back to a default.
      throw new Error(`Unknown scheduler ${JSON.stringify(name)} (supported: ${SCHEDULER_NAMES.join(', ')})`);
  }
}
