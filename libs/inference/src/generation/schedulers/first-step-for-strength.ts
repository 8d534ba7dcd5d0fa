/**
 * img2img: the index of the first step to run for a strength in [0,1], as diffusers' get_timesteps:
 * init_timestep = min(int(steps * strength), steps); t_start = steps - init_timestep.
 * Strength 1 runs every step (0); strength 0 returns `steps`, i.e. no step runs and the input is kept.
 */
export function firstStepForStrength(steps: number, strength: number): number {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`firstStepForStrength: steps must be an integer >= 1, got ${steps}`);
  if (!(strength >= 0 && strength <= 1)) throw new Error(`firstStepForStrength: strength must be in [0, 1], got ${strength}`);
  const initTimestep = Math.min(Math.floor(steps * strength), steps);
  return Math.max(steps - initTimestep, 0);
}
