import { Injectable } from '@nestjs/common';
import { JOB_TYPE_BY_NAME, nodeChoices, type JobOutput } from '@atelier/jobs';
import { ModelRegistry } from '@atelier/inference';
import { ModelCatalog } from '@atelier/models';
import { ImagesService } from '@atelier/storage';
import { executeWorkflow, referencedImageIds, validateWorkflow, workflowErrors, WorkflowCanceled, type WorkflowGraph, type WorkflowOutput } from '@atelier/workflows';
import { NodeResultCache } from '../workflow/node-result-cache';
import { WorkerNodeRuntimes } from '../workflow/worker-node-runtime';
import { JobCanceled, type ContextOf, type JobHandler } from './job-handler';

/**
 * `workflow`: the graph validated again (its images may have been deleted since submit), then run
 * node by node. Progress counts every node's steps (a sampler's steps, 1 for others), so the job's
 * percent moves through the whole graph; each event names the running node.
 */
@Injectable()
export class WorkflowHandler implements JobHandler<'workflow'> {
  readonly definition = JOB_TYPE_BY_NAME.workflow;
  private catalog?: ModelCatalog;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly images: ImagesService,
    private readonly runtimes: WorkerNodeRuntimes,
    private readonly cache: NodeResultCache,
  ) {}

  async run({ job, input, reportProgress, reportNode, isCanceled }: ContextOf<'workflow'>): Promise<JobOutput[]> {
    const graph = input.graph as WorkflowGraph;
    const ownedImages = await this.images.ownedIds(job.ownerId, referencedImageIds(graph));
    const validation = validateWorkflow(graph, { choices: nodeChoices({ models: (this.catalog ??= new ModelCatalog(this.registry.list())) }), ownedImages });
    if (!validation.ok) throw workflowErrors('INVALID_WORKFLOW', `Invalid workflow: ${validation.error.message}`, { error: validation.error, nodeErrors: validation.nodeErrors });
    const { plan } = validation;
    const total = [...plan.steps.values()].reduce((a, b) => a + b, 0);
    const before = new Map<string, number>();
    let done = 0;
    for (const id of plan.order) {
      before.set(id, done);
      done += plan.steps.get(id)!;
    }
    const cachedDone = new Set<string>();
    const results = await executeWorkflow(
      graph,
      plan,
      (node, nodeType) =>
        this.runtimes.forNode(job, {
          progress: (step, nodeTotal, previewUrl) => {
            const weight = plan.steps.get(node)!;
            const overall = before.get(node)! + Math.round((Math.min(step, nodeTotal) / Math.max(1, nodeTotal)) * weight);
            return reportProgress(overall, total, input.previews ? previewUrl : undefined, { node, nodeType, nodeStep: step, nodeTotalSteps: nodeTotal });
          },
          isCanceled,
        }),
      this.cache.forOwner(job.ownerId),
      {
        cached: async (nodes) => {
          nodes.forEach((n) => cachedDone.add(n));
          reportNode('job.nodes.cached', { nodes });
        },
        started: async (node, nodeType) => {
          reportNode('job.node.started', { node, nodeType });
          await reportProgress(before.get(node)!, total, undefined, { node, nodeType, nodeStep: 0, nodeTotalSteps: plan.steps.get(node)! });
        },
        executed: async (node, nodeType, ui) => reportNode('job.node.executed', { node, nodeType, output: ui as Record<string, unknown[]> }),
      },
    ).catch((error: unknown) => {
      if (error instanceof WorkflowCanceled) throw new JobCanceled(job.id);
      throw error;
    });
    return results.flatMap(toOutputs);
  }
}

/** An output node's UI result as job outputs: its images, then its other results as one JSON output. */
function toOutputs({ node, classType, ui }: WorkflowOutput): JobOutput[] {
  const { images = [], ...rest } = ui;
  const outputs: JobOutput[] = images.map((image) => ({ imageId: image.imageId, url: `/v1/images/${image.imageId}/content`, width: image.width, height: image.height, node }));
  if (Object.keys(rest).length) outputs.push({ kind: 'json', data: { node, nodeType: classType, ...rest } });
  return outputs;
}
