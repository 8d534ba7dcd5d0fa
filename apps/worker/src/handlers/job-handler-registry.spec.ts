import { describe, expect, it } from 'vitest';
import { JOB_TYPE_BY_NAME, JOB_TYPES } from '@atelier/jobs';
import { SCHEDULER_NAMES } from '@atelier/inference';
import { JOB_HANDLER_CLASSES } from './job-handler-classes';
import type { JobHandler } from './job-handler';
import { JobHandlerRegistry } from './job-handler-registry';

const handlerFor = (type: keyof typeof JOB_TYPE_BY_NAME) => ({ definition: JOB_TYPE_BY_NAME[type], run: async () => [] }) as unknown as JobHandler;

describe('JobHandlerRegistry', () => {
  it('stops the worker when a type has no handler, or two', () => {
    expect(() => new JobHandlerRegistry([handlerFor('ocr')], ['ocr', 'crop'])).toThrow('Job handlers do not match the job types: no handler for crop');
    expect(() => new JobHandlerRegistry([handlerFor('ocr'), handlerFor('ocr')], ['ocr'])).toThrow(/two handlers for ocr/);
    expect(new JobHandlerRegistry([handlerFor('ocr')], ['ocr']).of('ocr')?.definition.type).toBe('ocr');
  });

  it("is satisfied by the worker's own handlers: one for every job type", () => {
    // The handlers' constructors only keep their collaborators, so empty ones do for reading `definition`.
    const handlers = JOB_HANDLER_CLASSES.map((Handler) => new (Handler as unknown as new () => JobHandler)());
    expect(() => new JobHandlerRegistry(handlers, JOB_TYPES)).not.toThrow();
  });

  it('offers exactly the samplers the generation pipeline implements', () => {
    expect([...(JOB_TYPE_BY_NAME.txt2img.input.shape.scheduler.unwrap().options as string[])].sort()).toEqual([...SCHEDULER_NAMES].sort());
  });
});
