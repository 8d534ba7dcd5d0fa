import { Injectable } from '@nestjs/common';
import { nodeChoices } from '@atelier/jobs';
import { ModelCatalog } from '@atelier/models';
import { ImagesService } from '@atelier/storage';
import { imageName, nodeSpec, objectInfo, referencedImageIds, validateWorkflow, type WorkflowGraph } from '@atelier/workflows';

/** ComfyUI's model folders, filled from Atelier's model catalog (a checkpoint name is a model id). */
export type ModelFolders = Record<string, string[]>;

/** How many of the caller's images LoadImage lists as choices, as GET /v1/nodes (any of their images is accepted). */
const LISTED_IMAGES = 200;

/**
 * The node catalog as ComfyUI clients read it (`/object_info`, the same as GET /v1/nodes), the
 * model folders behind its combos, and which nodes of a graph are outputs.
 */
@Injectable()
export class ComfyNodes {
  constructor(
    private readonly models: ModelCatalog,
    private readonly images: ImagesService,
  ) {}

  modelFolders(): ModelFolders {
    const { checkpoints, upscaleModels } = nodeChoices({ models: this.models });
    return { checkpoints: [...checkpoints], upscale_models: [...upscaleModels] };
  }

  async objectInfo(ownerId: string): Promise<Record<string, Record<string, unknown>>> {
    const images = (await this.images.recentIds(ownerId, LISTED_IMAGES)).map(imageName);
    return objectInfo(nodeChoices({ models: this.models }, images));
  }

  /**
   * What ComfyUI answers about an accepted graph: the output nodes that run (`outputs_to_execute`)
   * and the `node_errors` of those that failed validation and are skipped. The job was validated at
   * submit already; this reads the same validation again for what SubmitJob does not return.
   */
  async accepted(ownerId: string, graph: Record<string, unknown>): Promise<{ outputs: string[]; nodeErrors: Record<string, unknown> }> {
    const workflow = graph as WorkflowGraph;
    const ownedImages = await this.images.ownedIds(ownerId, referencedImageIds(workflow));
    const validation = validateWorkflow(workflow, { choices: nodeChoices({ models: this.models }), ownedImages });
    if (validation.ok) return { outputs: validation.plan.outputs, nodeErrors: validation.nodeErrors };
    return { outputs: this.outputNodeIds(workflow), nodeErrors: {} };
  }

  private outputNodeIds(graph: WorkflowGraph): string[] {
    return Object.entries(graph)
      .filter(([, node]) => nodeSpec(String(node?.class_type))?.outputNode)
      .map(([id]) => id);
  }
}
