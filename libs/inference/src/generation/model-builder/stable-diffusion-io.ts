/**
 * Tensor names, files and fixed sizes of a Stable Diffusion 1.5 ONNX folder as exported by
 * diffusers / optimum. The tiny generated model and a real download share them, so the
 * pipeline reads every name from here.
 *
 * Dtypes and ranks:
 * - text_encoder: input_ids int32 [batch, 77] → last_hidden_state float32 [batch, 77, hidden],
 *   pooler_output float32 [batch, hidden]
 * - unet: sample float32 [batch, 4, h, w], timestep float32 [steps] (steps is 1, or batch),
 *   encoder_hidden_states float32 [batch, 77, hidden] → out_sample float32 [batch, 4, h, w]
 * - vae_decoder: latent_sample float32 [batch, 4, h, w] → sample float32 [batch, 3, 8h, 8w] in [-1, 1]
 * - vae_encoder: sample float32 [batch, 3, H, W] in [-1, 1] → latent_sample float32 [batch, 4, H/8, W/8]
 */
export const SD_ONNX_IO = {
  textEncoder: {
    file: 'text_encoder/model.onnx',
    input: 'input_ids',
    output: 'last_hidden_state',
    pooledOutput: 'pooler_output',
  },
  unet: {
    file: 'unet/model.onnx',
    sample: 'sample',
    timestep: 'timestep',
    encoderHiddenStates: 'encoder_hidden_states',
    output: 'out_sample',
  },
  vaeDecoder: { file: 'vae_decoder/model.onnx', input: 'latent_sample', output: 'sample' },
  /**
   * `latent_sample` (a draw from the latent distribution) in diffusers' conversion script and
   * older optimum; current optimum writes `latent_parameters` [batch, 8, h, w] (mean, log-variance).
   */
  vaeEncoder: { file: 'vae_encoder/model.onnx', input: 'sample', output: 'latent_sample', parametersOutput: 'latent_parameters' },
  schedulerConfigFile: 'scheduler/scheduler_config.json',
  modelIndexFile: 'model_index.json',
  /** CLIP's context length: every prompt is padded / truncated to this many token ids. */
  sequenceLength: 77,
  latentChannels: 4,
  /** Image pixels per latent pixel, each way. */
  vaeScaleFactor: 8,
  /** SD 1.5's VAE scaling: unet latents = encoder latents × this; decode latents / this. */
  vaeScalingFactor: 0.18215,
} as const;

/** SD 2.1's (768-v) scheduler/scheduler_config.json: DDIM, scaled-linear betas, v-prediction. */
export const SD21_V_SCHEDULER_CONFIG = {
  _class_name: 'DDIMScheduler',
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  num_train_timesteps: 1000,
  steps_offset: 1,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  prediction_type: 'v_prediction',
  clip_sample: false,
} as const;

/** SD 1.5's scheduler/scheduler_config.json (PNDM, scaled-linear betas, epsilon prediction). */
export const SD15_SCHEDULER_CONFIG = {
  _class_name: 'PNDMScheduler',
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  num_train_timesteps: 1000,
  steps_offset: 1,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  prediction_type: 'epsilon',
  clip_sample: false,
} as const;
