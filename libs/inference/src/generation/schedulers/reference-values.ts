// Test support only (not exported from the lib). Expected values printed by
// reference/compute_reference.py (pure-Python re-implementation of the diffusers formulas),
// for Stable Diffusion 1.5's scheduler config.

import { SD15_SCHEDULER_CONFIG } from '../model-builder/stable-diffusion-io';

/** The config compute_reference.py uses: SD 1.5's own scheduler_config.json. */
export const SD15_CONFIG = SD15_SCHEDULER_CONFIG;

/** The single-step case of compute_reference.py: step 3 of 10 (step 1 of 4 for LCM). */
export const SAMPLE = [0.5, -1.2, 2.0];
export const MODEL_OUTPUT = [0.1, -0.3, 0.7];
/** The GaussianSource of the single-step case cycles through these. */
export const NOISE = [0.25, -0.5, 1.0];
