import type { PredictionType } from './schedule-config';

/**
 * DDIM and LCM work in the DDPM parametrisation x_t = sqrt(acp_t) * x0 + sqrt(1 - acp_t) * eps;
 * these recover x0 and eps from one element of the model output.
 */
export function predictOriginal(modelOutput: number, sample: number, alphaProd: number, type: PredictionType): number {
  if (type === 'epsilon') return (sample - Math.sqrt(1 - alphaProd) * modelOutput) / Math.sqrt(alphaProd);
  return Math.sqrt(alphaProd) * sample - Math.sqrt(1 - alphaProd) * modelOutput;
}

export function predictEpsilon(modelOutput: number, sample: number, alphaProd: number, type: PredictionType): number {
  if (type === 'epsilon') return modelOutput;
  return Math.sqrt(alphaProd) * modelOutput + Math.sqrt(1 - alphaProd) * sample;
}

/** q(x_t | x0): what img2img starts from. */
export function ddpmAddNoise(original: Float32Array, noise: Float32Array, alphaProd: number): Float32Array {
  const signal = Math.sqrt(alphaProd);
  const spread = Math.sqrt(1 - alphaProd);
  return original.map((x, i) => signal * x + spread * noise[i]);
}
