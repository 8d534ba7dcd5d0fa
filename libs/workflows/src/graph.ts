import { z } from 'zod';

/** A link to another node's output: `[source node id, output index]`, as ComfyUI's API format writes it. */
export type Link = [string, number];

/** One node of a graph in ComfyUI's API format. */
export interface GraphNode {
  /** Absent only in a graph that has not passed validateWorkflow yet. */
  class_type?: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

/** `{"<node id>": {class_type, inputs}}`: the graph a client sends whole. */
export type WorkflowGraph = Record<string, GraphNode>;

/** ComfyUI's rule (graph_utils.is_link): a two-element list of a string and a number. */
export const isLink = (value: unknown): value is Link =>
  Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';

/** The shape the job input takes; what the nodes say about their inputs is checked by validateWorkflow. */
export const workflowGraphSchema = z
  .record(
    z.string().min(1).max(64),
    z.looseObject({
      class_type: z.string().min(1).max(200).optional(),
      inputs: z.record(z.string(), z.unknown()).default({}),
      _meta: z.looseObject({ title: z.string().max(500).optional() }).optional(),
    }),
  )
  .refine((graph) => Object.keys(graph).length <= 500, 'may have at most 500 nodes')
  .meta({
    description: "A graph in ComfyUI's API format: {node id: {class_type, inputs: {name: literal | [source node id, output index]}}}",
    'x-json-editor': true,
  });
