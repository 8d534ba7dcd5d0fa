import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { jobTypesOf } from '@atelier/models';
import { referencedImageIds, validateWorkflow, workflowErrors, workflowGraphSchema, type NodeChoices } from '@atelier/workflows';
import { defineJobType, type AcceptContext } from '../job-type-definition';

/** The combos of the node catalog for a caller: this install's models (images are checked by id). */
export function nodeChoices(context: Pick<AcceptContext, 'models'>, images: readonly string[] = []): NodeChoices {
  const models = context.models.list();
  return {
    checkpoints: models.filter((m) => jobTypesOf(m).some((t) => t === 'txt2img' || t === 'img2img')).map((m) => m.id),
    upscaleModels: models.filter((m) => m.pipeline === 'upscale').map((m) => m.id),
    images,
  };
}

export const workflow = defineJobType({
  type: 'workflow',
  lane: 'gpu',
  description: "Runs a node graph in ComfyUI's API format (GET /v1/nodes lists the nodes); costs the sum of its nodes' prices",
  input: z.strictObject({
    graph: workflowGraphSchema,
    previews: z.boolean().default(false).describe('Send step previews (ComfyUI: extra_data.preview_method)'),
  }),
  outputs: [
    { kind: 'image', description: "Each output node's images, with its `node` id" },
    { kind: 'json', description: "{node, nodeType, ...}: each output node's UI result (analysis nodes' data)" },
  ],
  cost: PRICES.generation,
  attemptTimeoutMs: 120_000,
  usesModel: false,
  // Graphs have their own per-node cache on the worker (a changed node re-runs only what follows it).
  deterministic: false,
  async accept(input, context) {
    const ownedImages = await context.ownedImages(referencedImageIds(input.graph));
    const result = validateWorkflow(input.graph, { choices: nodeChoices(context), ownedImages });
    if (!result.ok) {
      throw workflowErrors('INVALID_WORKFLOW', `Invalid workflow: ${result.error.message}${result.error.details ? ` (${result.error.details.split('\n')[0]})` : ''}`, {
        error: result.error,
        nodeErrors: result.nodeErrors,
      });
    }
    return { cost: result.plan.cost, workload: result.plan.workload, prompts: result.plan.prompts, nodeErrors: result.nodeErrors };
  },
});
