import type { StaticNode } from './node-spec';

/**
 * The size a sampler will make, read from the graph before it runs (for its cost and the plan's
 * limits): an EmptyLatentImage's literals, through encoders and earlier samplers. An image loaded
 * at run time counts as 512×512.
 */
export function staticLatentSize(latent: StaticNode | undefined): { width: number; height: number; batch: number } {
  for (let node = latent, hops = 0; node && hops < 50; hops++) {
    if (node.classType === 'EmptyLatentImage') {
      return { width: Number(node.literal('width') ?? 512), height: Number(node.literal('height') ?? 512), batch: Number(node.literal('batch_size') ?? 1) };
    }
    node = node.source('latent_image') ?? node.source('samples');
  }
  return { width: 512, height: 512, batch: 1 };
}
