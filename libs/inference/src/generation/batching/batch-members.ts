import type { StepPreview } from '../generation-request';
import type { BatchedRequest, BatchedResult } from './batch-request';

/** A request waiting in, or running with, a batch. */
export interface BatchMember {
  request: BatchedRequest;
  key: string;
  arrivedAt: number;
  resolve(result: BatchedResult): void;
  reject(error: unknown): void;
  canceled: boolean;
}

/** Requests batch together only when every tensor shape and the schedule match. */
export function toBatchKey({ shape, items, initImages }: BatchedRequest): string {
  const cfg = items.some((i) => i.guidance > 1);
  return [initImages ? `img2img@${shape.strength ?? 0.75}` : 'txt2img', items.some((i) => i.mask) ? 'inpaint' : 'whole', `${shape.width}x${shape.height}`, shape.steps, shape.scheduler, shape.sigmaSchedule ?? 'normal', cfg ? 'cfg' : 'nocfg'].join('|');
}

/** Maps a batch's global item indices to the member that owns them and back. */
export function requestsByItem(group: BatchMember[]) {
  const firstIndex = new Map<BatchMember, number>();
  let next = 0;
  for (const member of group) {
    firstIndex.set(member, next);
    next += member.request.items.length;
  }
  const range = (member: BatchMember) => {
    const start = firstIndex.get(member)!;
    return Array.from({ length: member.request.items.length }, (_, i) => start + i);
  };
  return {
    itemsOf: (members: BatchMember[]): number[] => members.flatMap(range),
    previewsOf: (member: BatchMember, previews: ReadonlyMap<number, StepPreview>): StepPreview[] =>
      range(member).flatMap((i) => (previews.has(i) ? [previews.get(i)!] : [])),
    slice: <T>(member: BatchMember, all: T[]): T[] => range(member).map((i) => all[i]),
  };
}
