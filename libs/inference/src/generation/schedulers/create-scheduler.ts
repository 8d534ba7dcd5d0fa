import { DdimScheduler } from './ddim';
import { EulerAncestralScheduler } from './euler-ancestral';
import { EulerDiscreteScheduler } from './euler-discrete';
import { LcmScheduler } from './lcm';
import { SAMPLER_NAMES } from '@atelier/models';
import type { Scheduler, SchedulerConfig, SchedulerName } from './scheduler';

export const SCHEDULER_NAMES: readonly SchedulerName[] = SAMPLER_NAMES;

/** A scheduler set up for `steps` denoising steps, from a diffusers scheduler_config.json. */
export function createScheduler(name: SchedulerName, config: SchedulerConfig, steps: number): Scheduler {
  switch (name) {
    case 'euler':
      return new EulerDiscreteScheduler(config, steps);
    case 'euler-a':
      return new EulerAncestralScheduler(config, steps);
    case 'ddim':
      return new DdimScheduler(config, steps);
    case 'lcm':
      return new LcmScheduler(config, steps);
    default:
      // Names can arrive from untyped JSON; fail loudly rather than fall back to a default.
      throw new Error(`Unknown scheduler ${JSON.stringify(name)} (supported: ${SCHEDULER_NAMES.join(', ')})`);
  }
}
