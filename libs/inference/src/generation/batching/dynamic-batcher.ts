import { requestsByItem, type BatchMember, toBatchKey } from './batch-members';
import type { BatchedRequest, BatchedResult, BatcherOptions, BatchExecutor } from './batch-request';

export type { BatchedRequest, BatchedResult, BatcherOptions, BatchExecutor } from './batch-request';

/**
 * Triton-style dynamic batching for one model: requests with the same shapes that arrive while
 * the model is busy, or within `maxWaitMs` of each other, run as one batched call; their steps,
 * cancels and images are split back per request. One run at a time per model: the device is
 * the bottleneck, and waiting requests are what the next batch is made of.
 */
export class DynamicBatcher {
  private readonly waiting: BatchMember[] = [];
  private busy = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly execute: BatchExecutor,
    private readonly options: BatcherOptions,
  ) {}

  submit(request: BatchedRequest): Promise<BatchedResult> {
    return new Promise<BatchedResult>((resolve, reject) => {
      this.waiting.push({ request, key: toBatchKey(request), arrivedAt: Date.now(), resolve, reject, canceled: false });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy || this.waiting.length === 0) return;
    const group = this.nextGroup();
    const size = group.reduce((n, m) => n + m.request.items.length, 0);
    const waitLeft = this.waiting[0].arrivedAt + this.options.maxWaitMs - Date.now();
    if (size >= this.options.maxBatch || waitLeft <= 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.run(group);
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, waitLeft);
    }
  }

  /** The oldest request and the later ones that fit with it, in arrival order. */
  private nextGroup(): BatchMember[] {
    const head = this.waiting[0];
    const group = [head];
    let size = head.request.items.length;
    for (const member of this.waiting.slice(1)) {
      if (member.key !== head.key || size + member.request.items.length > this.options.maxBatch) continue;
      group.push(member);
      size += member.request.items.length;
    }
    return group;
  }

  private async run(group: BatchMember[]): Promise<void> {
    this.busy = true;
    for (const member of group) this.waiting.splice(this.waiting.indexOf(member), 1);
    const owners = requestsByItem(group);
    const items = group.flatMap((m) => m.request.items);
    const inits = group[0].request.initImages ? group.flatMap((m) => m.request.initImages ?? []) : undefined;
    try {
      const run = await this.execute(items, group[0].request.shape, inits, async (step, total, previews) => {
        const live = group.filter((m) => !m.canceled);
        await Promise.all(live.map(async (member) => {
          if (await member.request.isCanceled()) member.canceled = true;
          else await member.request.onStep(step, total, owners.previewsOf(member, previews));
        }));
        return owners.itemsOf(group.filter((m) => m.canceled));
      });
      for (const member of group) {
        member.resolve({
          images: owners.slice(member, run.images),
          provider: run.provider,
          degradations: run.degradations,
          batchedWith: items.length,
          canceled: member.canceled,
        });
      }
    } catch (error) {
      for (const member of group) member.reject(error);
    } finally {
      this.busy = false;
      this.schedule();
    }
  }
}
