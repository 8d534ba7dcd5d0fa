import { z } from 'zod';
import { FIXED_SCHEDULE_SAMPLERS, SAMPLER_NAMES, SIGMA_SCHEDULES } from '@atelier/models';

/** Input fields several job types share, defined once so their bounds and wording agree. */

export const imageId = z.uuid().describe('An image of yours (POST /v1/images or a job output)');

const side = z.int().min(64).max(2048).multipleOf(8).default(512);


/** txt2img and img2img: a prompt, or a template rendered with a subject (and variables). */
export const generationFields = {
  prompt: z.string().trim().min(1).max(2000).optional().meta({ example: 'a lighthouse at dusk, oil painting' }),
  templateId: z.uuid().optional().describe('Instead of prompt: render this template with subject'),
  templateVersion: z.int().min(1).optional().describe('Template version (default: latest)'),
  subject: z.string().max(500).optional(),
  variables: z.record(z.string(), z.string().max(500)).optional().describe('Template placeholders'),
  negativePrompt: z.string().max(2000).optional(),
  width: side,
  height: side,
  steps: z.int().min(1).max(150).default(20),
  guidance: z.number().min(0).max(30).default(7),
  seed: z.int().min(0).max(2 ** 32 - 1).optional().describe('Default: derived from the job id'),
  batch: z.int().min(1).max(8).default(1),
  scheduler: z.enum(SAMPLER_NAMES).optional().describe('The sampler (default euler)'),
  loras: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/).describe('A LoRA model (GET /v1/models)'), weight: z.number().min(-4).max(4).default(1) }))
    .max(8)
    .optional()
    // A list of objects: the web form edits it as JSON.
    .meta({ description: 'Stable-Diffusion models: LoRAs merged into the UNet and text encoder; weight 0 changes nothing', 'x-json-editor': true }),
  sigmaSchedule: z
    .enum(SIGMA_SCHEDULES)
    .optional()
    .describe("Where the sampler places its noise levels (default normal: the model's own); ddim and lcm take only normal"),
};

/** A sigma schedule other than 'normal' needs a sigma-space sampler: refused at submit, never first in the worker. */
export function checkSigmaSchedule(input: { scheduler?: string; sigmaSchedule?: string }, ctx: z.RefinementCtx): void {
  if (input.sigmaSchedule && input.sigmaSchedule !== 'normal' && FIXED_SCHEDULE_SAMPLERS.some((s) => s === (input.scheduler ?? 'euler'))) {
    ctx.addIssue({ code: 'custom', path: ['sigmaSchedule'], message: `must be normal with scheduler ${input.scheduler}` });
  }
}

type PromptOrTemplate = { prompt?: string; templateId?: string; subject?: string };

/** A prompt or a template with a subject, never both: a rule the JSON Schema states as oneOf. */
export const promptOrTemplate = <S extends z.ZodType<PromptOrTemplate>>(schema: S) =>
  schema
    .superRefine((input, ctx) => {
      if ((input.prompt === undefined) === (input.templateId === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['prompt'], message: 'or templateId with subject is required, not both' });
      } else if (input.templateId !== undefined && input.subject === undefined) {
        ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is required with templateId' });
      }
    })
    .meta({ oneOf: [{ required: ['prompt'] }, { required: ['templateId', 'subject'] }] });

export const generationWorkload = (input: { width: number; height: number; steps: number; batch: number }) => ({
  pixels: input.width * input.height,
  steps: input.steps,
  batch: input.batch,
});
