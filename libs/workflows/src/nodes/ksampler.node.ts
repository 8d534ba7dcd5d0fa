import { PRICES } from '@atelier/billing';
import { FIXED_SCHEDULE_SAMPLERS, SAMPLERS, SIGMA_SCHEDULES, samplerByComfyName } from '@atelier/models';
import { combo, defineNode, float, int, link, type StaticNode } from '../node-spec';
import { staticLatentSize } from '../static-latent';
import { workflowErrors } from '../workflow-errors';

/**
 * Runs the generation pipeline of the checkpoint: txt2img from an empty latent, img2img (strength
 * = denoise) from an encoded or sampled one. Priced as the txt2img job of the same size.
 */
export default defineNode({
  classType: 'KSampler',
  displayName: 'KSampler',
  category: 'sampling',
  description: 'Denoises a latent with the model, guided by the prompts',
  inputs: {
    required: {
      model: link('MODEL'),
      seed: int(0, 0, 2 ** 64 - 1, { controlAfterGenerate: true }),
      steps: int(20, 1, 150),
      cfg: float(8, 0, 30, 0.1, 0.01),
      sampler_name: combo(() => SAMPLERS.map((s) => s.comfyName), { default: 'euler' }),
      scheduler: combo(() => SIGMA_SCHEDULES, { default: SIGMA_SCHEDULES[0] }),
      positive: link('CONDITIONING'),
      negative: link('CONDITIONING'),
      latent_image: link('LATENT'),
      denoise: float(1, 0, 1, 0.01),
    },
  },
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  cost: {
    rule: PRICES.generation,
    workload: (node) => {
      const { width, height, batch } = staticLatentSize(node.source('latent_image'));
      return { pixels: width * height, steps: Number(node.literal('steps') ?? 20), batch };
    },
  },
  steps: samplerSteps,
  async run({ model, seed, steps, cfg, sampler_name, scheduler, positive, negative, latent_image, denoise }, runtime) {
    const sampler = samplerByComfyName(sampler_name) ?? 'euler';
    // Fails the node at once (a retry would fail the same way).
    if (scheduler !== 'normal' && FIXED_SCHEDULE_SAMPLERS.includes(sampler)) {
      throw workflowErrors('WORKFLOW_NODE_FAILED', `KSampler: ${sampler_name} runs on the model's own timesteps; use scheduler "normal" with it`);
    }
    const request = {
      model: model.model,
      prompt: positive.text,
      negativePrompt: negative.text,
      width: latent_image.width,
      height: latent_image.height,
      steps,
      guidance: cfg,
      // ComfyUI seeds are 64-bit; the pipeline's noise takes 32.
      seed: Number(BigInt.asUintN(32, BigInt(Math.trunc(seed)))),
      sampler,
      sigmaSchedule: scheduler,
    };
    if (!latent_image.images?.length) {
      const images = await runtime.generate({ ...request, batch: latent_image.batch });
      return { outputs: [{ width: request.width, height: request.height, batch: images.length, images }] };
    }
    const images = [];
    for (const [i, initImage] of latent_image.images.entries()) {
      images.push(...(await runtime.generate({ ...request, seed: request.seed + i, batch: 1, initImage, strength: denoise, width: initImage.width - (initImage.width % 8), height: initImage.height - (initImage.height % 8) })));
    }
    return { outputs: [{ width: images[0].width, height: images[0].height, batch: images.length, images }] };
  },
});

/**
 * The steps the sampler will run: all of them from an empty latent; from an image, the share its
 * denoise leaves, as the img2img pipeline counts them (diffusers' min(int(steps × strength), steps)).
 */
function samplerSteps(node: StaticNode): number {
  const steps = Number(node.literal('steps') ?? 20);
  if (node.source('latent_image')?.classType === 'EmptyLatentImage') return steps;
  return Math.min(Math.floor(steps * Number(node.literal('denoise') ?? 1)), steps);
}
