import { Injectable } from '@nestjs/common';
import { JobsService, SubmitJob } from '@atelier/jobs';
import { DomainError } from '@atelier/platform';
import { ComfyEventRelay } from './comfy-event-relay';
import { ComfyPromptRefused } from './comfy-prompt-errors';
import { ComfyPromptsRepository, type ComfyPromptMeta } from './comfy-prompts.repository';
import { ComfyNodes } from './comfy-nodes';

/** ComfyUI moves these out of extra_data and never echoes them back. */
const SENSITIVE_EXTRA_DATA = ['auth_token_comfy_org', 'api_key_comfy_org'];
/** As on the socket: a client id longer than this is no client's. */
const MAX_CLIENT_ID_LENGTH = 200;
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface QueuedPrompt {
  prompt_id: string;
  number: number;
  /** The output nodes that failed validation and do not run (the others do), as ComfyUI answers. */
  node_errors: Record<string, unknown>;
}

/** Postgres stores no NUL character in jsonb, in keys or strings. */
const hasNul = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\u0000')
    : typeof value === 'object' && value !== null && Object.entries(value).some(([key, inner]) => key.includes('\u0000') || hasNul(inner));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * ComfyUI's queue operations on Atelier's one job path: a prompt is submitted as a `workflow` job
 * (validated, billed, rate limited, prioritised by plan), and removing or interrupting one is
 * canceling its job. Only the caller's prompts are ever touched.
 */
@Injectable()
export class ComfyPromptQueue {
  constructor(
    private readonly submitJob: SubmitJob,
    private readonly jobs: JobsService,
    private readonly prompts: ComfyPromptsRepository,
    private readonly relay: ComfyEventRelay,
    private readonly nodes: ComfyNodes,
  ) {}

  async submit(ownerId: string, body: unknown): Promise<QueuedPrompt> {
    if (!isObject(body) || !isObject(body.prompt)) throw ComfyPromptRefused.of('no_prompt', 'No prompt provided');
    const graph = body.prompt;
    const requestedId = body.prompt_id;
    if (requestedId !== undefined && (typeof requestedId !== 'string' || !CANONICAL_UUID.test(requestedId))) {
      throw ComfyPromptRefused.of('invalid_prompt_id', 'prompt_id must be a UUID in canonical lowercase hyphenated form');
    }
    if (typeof requestedId === 'string') {
      const earlier = await this.prompts.find(ownerId, requestedId);
      if (earlier) return { prompt_id: earlier.promptId, number: earlier.number, node_errors: {} };
    }
    const clientId = typeof body.client_id === 'string' && body.client_id ? body.client_id : null;
    if (clientId && (clientId.length > MAX_CLIENT_ID_LENGTH || clientId.includes('\u0000'))) {
      throw ComfyPromptRefused.of('invalid_client_id', `client_id must be at most ${MAX_CLIENT_ID_LENGTH} characters, without NUL`);
    }
    const extraData = this.extraData(body, clientId);
    // Checked before the job exists, so a refusal leaves nothing behind (Postgres stores no NUL in jsonb).
    if (hasNul(extraData)) throw ComfyPromptRefused.of('invalid_extra_data', 'extra_data cannot hold NUL characters');
    const previews = typeof extraData.preview_method === 'string' && extraData.preview_method !== 'none';
    const jobId = await this.enqueue(ownerId, { graph, ...(previews ? { previews: true } : {}) }, requestedId);
    const base = { ownerId, promptId: typeof requestedId === 'string' ? requestedId : jobId, jobId, clientId, extraData };
    const { meta, nodeErrors, inserted } = await this.record(base, graph, body);
    if (!inserted) {
      const earlier = await this.prompts.find(ownerId, meta.promptId);
      return { prompt_id: meta.promptId, number: earlier?.number ?? meta.number, node_errors: {} };
    }
    this.relay.registered(meta);
    return { prompt_id: meta.promptId, number: meta.number, node_errors: nodeErrors };
  }

  /** The one job path: a `workflow` job, validated, billed, limited; a client's prompt_id makes the submission idempotent. */
  private async enqueue(ownerId: string, input: Record<string, unknown>, requestedId: unknown): Promise<string> {
    try {
      const idempotencyKey = typeof requestedId === 'string' ? `comfyui-prompt:${requestedId}` : undefined;
      return (await this.submitJob.execute(ownerId, { type: 'workflow', input }, idempotencyKey)).job.id;
    } catch (error) {
      if (error instanceof DomainError) throw ComfyPromptRefused.fromDomain(error);
      throw error;
    }
  }

  /** The prompt's row beside its job; a job whose row cannot be written is canceled (nobody could see it, it must not run). */
  private async record(base: Omit<ComfyPromptMeta, 'number' | 'outputsToExecute'>, graph: Record<string, unknown>, body: Record<string, unknown>) {
    try {
      const accepted = await this.nodes.accepted(base.ownerId, graph);
      const meta: ComfyPromptMeta = { ...base, number: await this.number(base.ownerId, body), outputsToExecute: accepted.outputs };
      return { meta, nodeErrors: accepted.nodeErrors, inserted: await this.prompts.insert(meta) };
    } catch (error) {
      await this.jobs.cancel(base.ownerId, base.jobId).catch(() => undefined);
      throw error;
    }
  }

  /** With an id: that prompt if it is the caller's and running. Without: every running prompt of the caller, nobody else's. */
  async interrupt(ownerId: string, promptId?: string): Promise<void> {
    const running = (await this.prompts.active(ownerId)).filter((p) => p.status === 'running' && (promptId === undefined || p.promptId === promptId));
    await Promise.all(running.map((p) => this.cancel(ownerId, p.jobId)));
  }

  /** Removes the caller's waiting prompts (all of them, or the ones named); a running one is left alone, as in ComfyUI. */
  async removePending(ownerId: string, promptIds?: string[]): Promise<void> {
    const pending = (await this.prompts.active(ownerId)).filter((p) => p.status === 'queued' && (!promptIds || promptIds.includes(p.promptId)));
    await Promise.all(pending.map((p) => this.cancel(ownerId, p.jobId)));
  }

  /** True when it was pending or running and is canceled now. */
  async cancelOne(ownerId: string, promptId: string): Promise<boolean> {
    const prompt = await this.prompts.find(ownerId, promptId);
    if (!prompt || (prompt.status !== 'queued' && prompt.status !== 'running')) return false;
    return this.cancel(ownerId, prompt.jobId);
  }

  private async cancel(ownerId: string, jobId: string): Promise<boolean> {
    try {
      await this.jobs.cancel(ownerId, jobId);
      return true;
    } catch (error) {
      // It finished meanwhile: nothing to interrupt.
      if (error instanceof DomainError && error.code === 'JOB_FINISHED') return false;
      throw error;
    }
  }

  /** The client's extra_data without its secrets, plus what ComfyUI adds: client_id and create_time. */
  private extraData(body: Record<string, unknown>, clientId: string | null): Record<string, unknown> {
    const given = isObject(body.extra_data) ? { ...body.extra_data } : {};
    for (const key of SENSITIVE_EXTRA_DATA) delete given[key];
    return { ...given, ...(clientId ? { client_id: clientId } : {}), create_time: Date.now() };
  }

  /** `number` as given (ComfyUI's priority; here only recorded: plans decide the order), else the caller's next, negated for `front`. */
  private async number(ownerId: string, body: Record<string, unknown>): Promise<number> {
    const given = Number(body.number);
    if (body.number !== undefined && body.number !== null && Number.isFinite(given)) return given;
    const next = await this.prompts.nextNumber(ownerId);
    return body.front === true ? -next : next;
  }
}
