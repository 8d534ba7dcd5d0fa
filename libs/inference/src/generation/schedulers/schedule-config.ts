import type { SchedulerConfig } from './scheduler';

export type BetaSchedule = 'scaled_linear' | 'linear';
export type PredictionType = 'epsilon' | 'v_prediction';
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';

/** A validated config with every field present. */
export interface ResolvedSchedulerConfig {
  numTrainTimesteps: number;
  betaStart: number;
  betaEnd: number;
  betaSchedule: BetaSchedule;
  predictionType: PredictionType;
  timestepSpacing: TimestepSpacing;
  stepsOffset: number;
  setAlphaToOne: boolean;
  originalInferenceSteps: number;
}

/**
 * Fills missing fields with Stable Diffusion 1.5's values (steps_offset 1, set_alpha_to_one false),
 * while `timestep_spacing` falls back to the scheduler's own diffusers default. Rejects values
 * that would silently produce a wrong schedule (a typo in beta_schedule, say).
 */
export function resolveSchedulerConfig(config: SchedulerConfig, defaultSpacing: TimestepSpacing): ResolvedSchedulerConfig {
  const numTrainTimesteps = integer('num_train_timesteps', config.num_train_timesteps ?? 1000, 1);
  const resolved: ResolvedSchedulerConfig = {
    numTrainTimesteps,
    betaStart: positive('beta_start', config.beta_start ?? 0.00085),
    betaEnd: positive('beta_end', config.beta_end ?? 0.012),
    betaSchedule: oneOf('beta_schedule', config.beta_schedule ?? 'scaled_linear', ['scaled_linear', 'linear'] as const),
    predictionType: oneOf('prediction_type', config.prediction_type ?? 'epsilon', ['epsilon', 'v_prediction'] as const),
    timestepSpacing: oneOf('timestep_spacing', config.timestep_spacing ?? defaultSpacing, ['leading', 'trailing', 'linspace'] as const),
    stepsOffset: integer('steps_offset', config.steps_offset ?? 1, 0),
    setAlphaToOne: bool('set_alpha_to_one', config.set_alpha_to_one ?? false),
    originalInferenceSteps: integer('original_inference_steps', config.original_inference_steps ?? 50, 1),
  };
  if (resolved.betaEnd >= 1 || resolved.betaStart >= 1) {
    throw new Error(`Scheduler config: beta_start and beta_end must be below 1, got ${resolved.betaStart} and ${resolved.betaEnd}`);
  }
  if (resolved.originalInferenceSteps > numTrainTimesteps) {
    throw new Error(
      `Scheduler config: original_inference_steps (${resolved.originalInferenceSteps}) must not exceed num_train_timesteps (${numTrainTimesteps})`,
    );
  }
  return resolved;
}

function integer(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`Scheduler config: ${field} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`Scheduler config: ${field} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function bool(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`Scheduler config: ${field} must be a boolean, got ${String(value)}`);
  return value;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    throw new Error(`Scheduler config: unsupported ${field} ${JSON.stringify(value)} (supported: ${allowed.join(', ')})`);
  }
  return match;
}
