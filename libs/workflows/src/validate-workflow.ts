import { costOf, type Workload } from '@atelier/billing';
import { isLink, type WorkflowGraph } from './graph';
import { imageIdOf } from './image-names';
import { comfyInputSpec, nodeSpec } from './node-catalog';
import type { AnyNodeSpec, InputSpec, NodeChoices, StaticNode } from './node-spec';

/** One reason a node failed validation, in ComfyUI's shape. */
export interface NodeErrorReason {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** ComfyUI's `node_errors`: per failing node, its reasons and the output nodes that depend on it. */
export type NodeErrors = Record<string, { errors: NodeErrorReason[]; dependent_outputs: string[]; class_type: string }>;

export interface WorkflowError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** A graph ready to run: the nodes to execute in order, their coerced literals, cost and workload. */
export interface WorkflowPlan {
  /** The output nodes that passed validation (the ones that run). */
  outputs: string[];
  /** Every node they need, dependencies first. */
  order: string[];
  literals: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Credits: the sum of the nodes' prices, at least 1. */
  cost: number;
  /** The largest sampler's pixels and batch and all samplers' steps: the plan's per-job limits apply to them. */
  workload: Workload;
  /** Progress steps per node (sampler steps; 1 for others). */
  steps: ReadonlyMap<string, number>;
  /** The prompt texts, for the same checks a typed prompt gets. */
  prompts: string[];
}

export type WorkflowValidation = { ok: true; plan: WorkflowPlan; nodeErrors: NodeErrors } | { ok: false; error: WorkflowError; nodeErrors: NodeErrors };

export interface ValidationContext {
  choices: NodeChoices;
  /** The caller's images among those the graph names (see referencedImageIds). */
  ownedImages: ReadonlySet<string>;
}

const reason = (type: string, message: string, details: string, extra: Record<string, unknown> = {}): NodeErrorReason => ({ type, message, details, extra_info: extra });
const failure = (type: string, message: string, details = '', extra: Record<string, unknown> = {}): WorkflowValidation => ({
  ok: false,
  error: { type, message, details, extra_info: extra },
  nodeErrors: {},
});

/** The image ids a graph's LoadImage-style inputs name, so the caller can look up which are theirs. */
export function referencedImageIds(graph: WorkflowGraph): string[] {
  const ids = new Set<string>();
  for (const node of Object.values(graph)) {
    const spec = nodeSpec(String(node.class_type));
    for (const [name, input] of Object.entries(spec?.inputs.required ?? {})) {
      const value = node.inputs?.[name];
      if (input.kind === 'combo' && input.imageUpload && typeof value === 'string') {
        const id = imageIdOf(value);
        if (id) ids.add(id);
      }
    }
  }
  return [...ids];
}

/** A literal coerced as ComfyUI does (int(), float(), str(), bool()) and checked against its spec. */
function checkLiteral(name: string, spec: InputSpec, value: unknown, context: ValidationContext): { value?: unknown; error?: NodeErrorReason } {
  const config = () => comfyInputSpec(spec, context.choices)[1] ?? null;
  const extra = (more: Record<string, unknown> = {}) => ({ input_name: name, input_config: config(), received_value: value, ...more });
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number) || (spec.kind === 'int' && typeof value === 'string' && !/^-?\d+$/.test(value.trim()))) {
        return { error: reason('invalid_input_type', `Failed to convert an input value to a ${spec.kind.toUpperCase()} value`, `${name}, ${String(value)}`, extra()) };
      }
      const coerced = spec.kind === 'int' ? Math.trunc(number) : number;
      if (coerced < spec.min) return { error: reason('value_smaller_than_min', `Value ${coerced} smaller than min of ${spec.min}`, name, extra()) };
      if (coerced > spec.max) return { error: reason('value_bigger_than_max', `Value ${coerced} bigger than max of ${spec.max}`, name, extra()) };
      if (spec.kind === 'int' && spec.multipleOf && coerced % spec.multipleOf !== 0) {
        return { error: reason('custom_validation_failed', `Value ${coerced} is not a multiple of ${spec.multipleOf}`, name, extra()) };
      }
      return { value: coerced };
    }
    case 'string':
      if (typeof value === 'object' && value !== null) return { error: reason('invalid_input_type', 'Failed to convert an input value to a STRING value', `${name}, ${JSON.stringify(value)}`, extra()) };
      return { value: String(value) };
    case 'boolean':
      return { value: Boolean(value) };
    case 'combo': {
      if (spec.imageUpload) {
        const id = typeof value === 'string' ? imageIdOf(value) : undefined;
        if (!id || !context.ownedImages.has(id)) return { error: reason('custom_validation_failed', `Invalid image file: ${String(value)}`, `${name}: ${String(value)}`, extra()) };
        return { value };
      }
      const options = spec.options(context.choices);
      if (typeof value !== 'string' || !options.includes(value)) {
        const list = options.length > 20 ? `[${options.slice(0, 20).join(', ')}, ...]` : `[${options.join(', ')}]`;
        return { error: reason('value_not_in_list', 'Value not in list', `${name}: '${String(value)}' not in ${list}`, extra({ input_config: options.length > 20 ? null : config() })) };
      }
      return { value };
    }
    case 'link':
      return { error: reason('required_input_missing', 'Required input is missing', name, extra()) };
  }
}

/**
 * Checks a graph at submit with ComfyUI's rules and error shapes: unknown classes, missing inputs,
 * links of the wrong type, values out of range or not in a combo, no output node, cycles. A graph
 * some of whose outputs pass runs those (and lists the others in node_errors), as ComfyUI does.
 */
export function validateWorkflow(graph: WorkflowGraph, context: ValidationContext): WorkflowValidation {
  for (const [id, node] of Object.entries(graph)) {
    if (!node.class_type) {
      return failure('missing_node_type', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`, { node_id: id });
    }
    if (!nodeSpec(node.class_type)) {
      return failure('missing_node_type', `Node '${node.class_type}' not found. The custom node may not be installed.`, `Node ID '#${id}'`, {
        node_id: id,
        class_type: node.class_type,
        node_title: node._meta?.title ?? node.class_type,
      });
    }
  }
  const outputIds = Object.keys(graph).filter((id) => nodeSpec(graph[id].class_type!)!.outputNode);
  if (!outputIds.length) return failure('prompt_no_outputs', 'Prompt has no outputs', '');

  const literals = new Map<string, Record<string, unknown>>();
  const errors = new Map<string, NodeErrorReason[]>();
  const verdict = new Map<string, boolean>();
  const visiting = new Set<string>();

  const validateNode = (id: string): boolean => {
    const known = verdict.get(id);
    if (known !== undefined) return known;
    const node = graph[id];
    const spec = nodeSpec(node.class_type!)!;
    if (visiting.has(id)) {
      errors.set(id, [...(errors.get(id) ?? []), reason('dependency_cycle', 'Dependency cycle detected', `Node ${id} depends on itself`)]);
      return false;
    }
    visiting.add(id);
    const own: NodeErrorReason[] = [];
    const values: Record<string, unknown> = {};
    let linkedOk = true;
    const inputs = { ...spec.inputs.required, ...(spec.inputs.optional ?? {}) };
    for (const [name, input] of Object.entries(inputs)) {
      const required = name in spec.inputs.required;
      const value = node.inputs?.[name];
      if (value === undefined) {
        if (input.kind !== 'link' && 'default' in input && input.default !== undefined) values[name] = input.default;
        else if (required) own.push(reason('required_input_missing', 'Required input is missing', name, { input_name: name }));
        continue;
      }
      if (Array.isArray(value)) {
        if (!isLink(value)) {
          own.push(reason('bad_linked_input', 'Bad linked input, must be a length-2 list of [node_id, slot_index]', name, { input_name: name, received_value: value }));
          continue;
        }
        const [sourceId, index] = value;
        const source = graph[sourceId];
        const sourceSpec = source && nodeSpec(source.class_type!);
        const receivedType = sourceSpec?.outputs[index]?.type;
        const expectedType = input.kind === 'link' ? input.type : input.kind === 'combo' ? 'COMBO' : input.kind.toUpperCase();
        if (!sourceSpec || receivedType === undefined) {
          own.push(reason('bad_linked_input', 'Bad linked input, must be a length-2 list of [node_id, slot_index]', name, { input_name: name, received_value: value }));
          continue;
        }
        if (receivedType !== expectedType) {
          own.push(reason('return_type_mismatch', 'Return type mismatch between linked nodes', `${name}, received_type(${receivedType}) mismatch input_type(${expectedType})`, {
            input_name: name,
            input_config: comfyInputSpec(input, context.choices),
            received_type: receivedType,
            linked_node: value,
          }));
          continue;
        }
        if (!validateNode(sourceId)) linkedOk = false;
        continue;
      }
      if (input.kind === 'link') {
        own.push(reason('required_input_missing', 'Required input is missing', name, { input_name: name, received_value: value }));
        continue;
      }
      const checked = checkLiteral(name, input, typeof value === 'object' && value !== null && '__value__' in value ? (value as { __value__: unknown }).__value__ : value, context);
      if (checked.error) own.push(checked.error);
      else values[name] = checked.value;
    }
    visiting.delete(id);
    if (own.length) errors.set(id, [...(errors.get(id) ?? []), ...own]);
    literals.set(id, values);
    const ok = own.length === 0 && linkedOk && !errors.has(id);
    verdict.set(id, ok);
    return ok;
  };

  const dependents = new Map<string, Set<string>>();
  const collectDependencies = (id: string, output: string, seen = new Set<string>()) => {
    if (seen.has(id)) return;
    seen.add(id);
    dependents.set(id, (dependents.get(id) ?? new Set()).add(output));
    for (const value of Object.values(graph[id]?.inputs ?? {})) if (isLink(value) && graph[value[0]]) collectDependencies(value[0], output, seen);
  };
  const validOutputs = outputIds.filter((id) => validateNode(id));
  for (const id of outputIds) collectDependencies(id, id);

  const nodeErrors: NodeErrors = {};
  for (const [id, reasons] of errors) {
    nodeErrors[id] = { errors: reasons, dependent_outputs: [...(dependents.get(id) ?? [])].filter((o) => !validOutputs.includes(o)), class_type: graph[id].class_type! };
  }
  if (!validOutputs.length) {
    const details = Object.entries(nodeErrors)
      .flatMap(([, entry]) => entry.errors.map((e) => `${e.message}: ${e.details}`))
      .join('\n');
    return { ok: false, error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details, extra_info: {} }, nodeErrors };
  }
  return { ok: true, plan: planOf(graph, validOutputs, literals), nodeErrors };
}

function planOf(graph: WorkflowGraph, outputs: string[], literals: ReadonlyMap<string, Record<string, unknown>>): WorkflowPlan {
  const order: string[] = [];
  const placed = new Set<string>();
  const place = (id: string) => {
    if (placed.has(id)) return;
    placed.add(id);
    for (const value of Object.values(graph[id].inputs ?? {})) if (isLink(value)) place(value[0]);
    order.push(id);
  };
  outputs.forEach(place);

  const staticNodes = new Map<string, StaticNode>();
  const staticNode = (id: string): StaticNode => {
    const known = staticNodes.get(id);
    if (known) return known;
    const node: StaticNode = {
      classType: graph[id].class_type!,
      literal: (name) => literals.get(id)?.[name],
      source: (name) => {
        const value = graph[id].inputs?.[name];
        return isLink(value) && graph[value[0]] ? staticNode(value[0]) : undefined;
      },
    };
    staticNodes.set(id, node);
    return node;
  };

  let cost = 0;
  const workload: Workload = { pixels: 0, steps: 0, batch: 1 };
  const steps = new Map<string, number>();
  const prompts: string[] = [];
  for (const id of order) {
    const spec = nodeSpec(graph[id].class_type!) as AnyNodeSpec;
    const node = staticNode(id);
    if (spec.cost) {
      const work = spec.cost.workload?.(node);
      cost += costOf(spec.cost.rule, work);
      if (work) {
        workload.pixels = Math.max(workload.pixels, work.pixels);
        workload.batch = Math.max(workload.batch, work.batch);
        workload.steps += work.steps;
      }
    }
    steps.set(id, Math.max(1, spec.steps?.(node) ?? 1));
    for (const [name, input] of Object.entries(spec.inputs.required)) {
      const text = node.literal(name);
      if (input.kind === 'string' && input.multiline && typeof text === 'string' && text) prompts.push(text);
    }
  }
  return { outputs, order, literals, cost: Math.max(1, cost), workload, steps, prompts };
}
