import { createHash } from 'node:crypto';
import { isLink, type WorkflowGraph } from './graph';
import { nodeSpec } from './node-catalog';
import type { NodeRuntime, NodeUi } from './node-runtime';
import type { WorkflowPlan } from './validate-workflow';

/** A node's result kept for the next run of a graph that reaches it with the same inputs. */
export interface CachedNode {
  outputs: unknown[];
  ui?: NodeUi;
}

/** Results by node signature; the worker keeps one per owner, so users never share results. */
export interface NodeCache {
  get(signature: string): CachedNode | undefined;
  set(signature: string, result: CachedNode): void;
}

export interface WorkflowObserver {
  /** Before anything runs: the nodes whose results come from the cache (ComfyUI's execution_cached). */
  cached(nodes: string[]): Promise<void>;
  started(node: string, classType: string): Promise<void>;
  executed(node: string, classType: string, ui: NodeUi): Promise<void>;
}

/** The result of an output node, in the plan's order of outputs. */
export interface WorkflowOutput {
  node: string;
  classType: string;
  ui: NodeUi;
}

/** Thrown when a node fails: which node, and why (the node's own error as the cause). */
export class WorkflowNodeError extends Error {
  constructor(
    readonly node: string,
    readonly classType: string,
    override readonly cause: unknown,
  ) {
    super(`Node ${node} (${classType}): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Thrown between nodes once the job was canceled. */
export class WorkflowCanceled extends Error {}

function canonical(value: unknown): string {
  if (Buffer.isBuffer(value)) return `buffer:${createHash('sha256').update(value).digest('hex')}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A node's signature: its class, its literal inputs and the signatures of what it is linked to.
 * Equal signatures mean equal results (every node is deterministic given its inputs and seed).
 */
export function signatures(graph: WorkflowGraph, plan: WorkflowPlan): Map<string, string> {
  const result = new Map<string, string>();
  for (const id of plan.order) {
    const links = Object.entries(graph[id].inputs ?? {})
      .filter(([, value]) => isLink(value))
      .map(([name, value]) => {
        const [source, index] = value as [string, number];
        return [name, `${result.get(source)}#${index}`];
      });
    const material = canonical({ classType: graph[id].class_type!, literals: plan.literals.get(id) ?? {}, links: Object.fromEntries(links) });
    result.set(id, createHash('sha256').update(material).digest('hex'));
  }
  return result;
}

/**
 * Runs a validated graph: its nodes in dependency order, each with its coerced literals and
 * its links' values; a node whose signature the cache holds is not computed again. Checks for a
 * cancel between nodes (the sampler also checks at every step).
 */
export async function executeWorkflow(
  graph: WorkflowGraph,
  plan: WorkflowPlan,
  runtimeFor: (node: string, classType: string) => NodeRuntime,
  cache: NodeCache,
  observer: WorkflowObserver,
): Promise<WorkflowOutput[]> {
  const signature = signatures(graph, plan);
  const results = new Map<string, CachedNode>();
  for (const id of plan.order) {
    const hit = cache.get(signature.get(id)!);
    if (hit) results.set(id, hit);
  }
  await observer.cached([...results.keys()]);
  for (const id of plan.order) {
    if (results.has(id)) continue;
    const classType = graph[id].class_type!;
    const spec = nodeSpec(classType)!;
    const runtime = runtimeFor(id, classType);
    if (await runtime.isCanceled()) throw new WorkflowCanceled();
    const inputs: Record<string, unknown> = { ...(plan.literals.get(id) ?? {}) };
    for (const [name, value] of Object.entries(graph[id].inputs ?? {})) {
      if (isLink(value)) inputs[name] = results.get(value[0])!.outputs[value[1]];
    }
    await observer.started(id, classType);
    let result: CachedNode;
    try {
      result = await spec.run(inputs as never, runtime);
    } catch (error) {
      if (error instanceof WorkflowCanceled) throw error;
      throw new WorkflowNodeError(id, classType, error);
    }
    results.set(id, result);
    cache.set(signature.get(id)!, result);
    if (spec.outputNode) await observer.executed(id, classType, result.ui ?? {});
  }
  return plan.outputs.map((node) => ({ node, classType: graph[node].class_type!, ui: results.get(node)!.ui ?? {} }));
}
