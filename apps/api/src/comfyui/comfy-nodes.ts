import { Injectable } from '@nestjs/common';
import { ModelCatalog } from '@atelier/models';

/** ComfyUI's model folders, filled from Atelier's model catalog (a checkpoint name is a model id). */
export type ModelFolders = Record<string, string[]>;

/**
 * The node catalog as ComfyUI clients read it (`/object_info`), the dynamic choices in it (the
 * checkpoints, upscale models and the caller's images), and which nodes of a graph are outputs.
 */
@Injectable()
export class ComfyNodes {
  constructor(private readonly models: ModelCatalog) {}

  modelFolders(): ModelFolders {
    const ids = (type: string) => this.models.forJobType(type).map((m) => m.id);
    return { checkpoints: ids('txt2img'), upscale_models: ids('upscale') };
  }

  // INTERIM until @atelier/workflows is on main: the catalog and output flags come from there.
  async objectInfo(_ownerId: string): Promise<Record<string, Record<string, unknown>>> {
    return {};
  }

  outputNodeIds(graph: Record<string, unknown>): string[] {
    const linked = new Set<string>();
    for (const node of Object.values(graph)) {
      for (const value of Object.values((node as { inputs?: Record<string, unknown> })?.inputs ?? {})) {
        if (Array.isArray(value) && typeof value[0] === 'string') linked.add(value[0]);
      }
    }
    return Object.keys(graph).filter((id) => !linked.has(id));
  }
}
