import type { ApiGraph, BindableField, ComfyuiRemoteSpec } from '@atelier/models';
import type { GenerationJobRequest } from '../generation/generation-request';

/** The job's values for the bindable fields (`image` is the name the upstream gave the upload). */
export function fieldValues(request: GenerationJobRequest, imageName?: string): Partial<Record<BindableField, unknown>> {
  return {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt,
    seed: request.seed,
    steps: request.steps,
    guidance: request.guidance,
    width: request.width,
    height: request.height,
    batch: request.batch,
    ...(imageName !== undefined ? { image: imageName } : {}),
    ...(request.kind === 'img2img' && request.strength !== undefined ? { strength: request.strength } : {}),
  };
}

/** A copy of the manifest's graph with each bound node input set from the job; unbound inputs keep the graph's values. */
export function bindGraph(spec: ComfyuiRemoteSpec, values: Partial<Record<BindableField, unknown>>): ApiGraph {
  const graph = structuredClone(spec.workflow);
  for (const [field, targets] of Object.entries(spec.bindings) as Array<[BindableField, string | string[]]>) {
    const value = values[field];
    if (value === undefined) continue;
    for (const target of [targets].flat()) {
      const [node, , input] = target.split('.');
      graph[node].inputs[input] = value;
    }
  }
  return graph;
}
