import type { JobType } from '@atelier/jobs';
import type { JobHandler } from './job-handler';

/**
 * The handler of each job type. Built at start-up from every handler the worker provides: a type
 * without a handler, or with two, stops the worker (a job must never wait for code that is absent).
 */
export class JobHandlerRegistry {
  private readonly byType = new Map<string, JobHandler>();

  constructor(handlers: JobHandler[], types: readonly JobType[]) {
    const twice = new Set<string>();
    for (const handler of handlers) {
      if (this.byType.has(handler.definition.type)) twice.add(handler.definition.type);
      this.byType.set(handler.definition.type, handler);
    }
    const missing = types.filter((type) => !this.byType.has(type));
    const unknown = [...this.byType.keys()].filter((type) => !types.includes(type as JobType));
    const problems = [
      missing.length ? `no handler for ${missing.join(', ')}` : '',
      twice.size ? `two handlers for ${[...twice].join(', ')}` : '',
      unknown.length ? `handlers for unknown types ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`Job handlers do not match the job types: ${problems.join('; ')}`);
  }

  /** Undefined only for a type this worker's build does not know (a newer API during an upgrade). */
  of(type: string): JobHandler | undefined {
    return this.byType.get(type);
  }
}
