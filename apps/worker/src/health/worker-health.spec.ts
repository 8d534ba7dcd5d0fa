import { describe, expect, it, vi } from 'vitest';
import { DomainError, type AppConfig } from '@atelier/platform';
import type { JobQueueConsumer } from '@atelier/jobs';
import { verdictOf, WorkerHealth } from './worker-health';

const health = (limit: number) => {
  const consumer = { pause: vi.fn(async () => undefined) };
  return { health: new WorkerHealth({ workerUnhealthyAfterFailures: limit } as AppConfig, consumer as unknown as JobQueueConsumer), consumer };
};

describe('WorkerHealth', () => {
  it("counts the worker's own failures only", () => {
    expect(verdictOf(new Error('onnxruntime crashed'))).toBe('fault');
    expect(verdictOf(new DomainError('unavailable', 'MODEL_UNAVAILABLE', 'corrupt'))).toBe('fault');
    expect(verdictOf(new DomainError('unavailable', 'JOB_TIMEOUT', 'slow'))).toBe('fault');
    expect(verdictOf(new DomainError('invalid', 'IMAGE_UNDECODABLE', 'bad'))).toBe('neutral');
    expect(verdictOf(new DomainError('unavailable', 'STORAGE_UNAVAILABLE', 'down'))).toBe('neutral');
  });

  it('leaves rotation after N faults in a row, and a success in between resets the count', () => {
    const { health: h, consumer } = health(3);
    h.failed('a', new Error('x'));
    h.failed('b', new Error('x'));
    h.succeeded();
    h.failed('c', new Error('x'));
    h.failed('d', new DomainError('invalid', 'IMAGE_UNDECODABLE', 'bad'));
    h.failed('e', new Error('x'));
    expect(h.healthy).toBe(true);
    h.failed('f', new Error('x'));
    expect(h.healthy).toBe(false);
    expect(h.reason).toContain('3 jobs in a row');
    expect(consumer.pause).toHaveBeenCalledTimes(1);
    h.succeeded();
    expect(h.healthy).toBe(false); // final for the process: a restart is the cure
  });

  it('never leaves rotation when the limit is 0', () => {
    const { health: h } = health(0);
    for (let i = 0; i < 20; i++) h.failed(String(i), new Error('x'));
    expect(h.healthy).toBe(true);
  });
});
