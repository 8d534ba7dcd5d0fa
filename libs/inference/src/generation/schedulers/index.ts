export type { GaussianSource, Scheduler, SchedulerConfig, SchedulerName } from './scheduler';
export { createScheduler, SCHEDULER_NAMES } from './create-scheduler';
export { firstStepForStrength } from './first-step-for-strength';
export { EulerDiscreteScheduler } from './euler-discrete';
export { EulerAncestralScheduler } from './euler-ancestral';
export { DdimScheduler } from './ddim';
export { LcmScheduler } from './lcm';
