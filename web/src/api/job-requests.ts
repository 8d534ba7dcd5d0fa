import type { JobRequest } from './types';

const KEY = 'atelier.jobRequests';
const KEEP = 200;

/**
 * The parameters of jobs submitted from this browser, by job id. The job view of the API
 * does not echo the input, so the image detail view shows the parameters from here.
 */
export class JobRequests {
  private readonly entries: Array<[string, JobRequest]> = read();

  remember(jobId: string, request: JobRequest): void {
    this.entries.unshift([jobId, request]);
    this.entries.splice(KEEP);
    localStorage.setItem(KEY, JSON.stringify(this.entries));
  }

  of(jobId: string): JobRequest | undefined {
    return this.entries.find(([id]) => id === jobId)?.[1];
  }
}

function read(): Array<[string, JobRequest]> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? (value as Array<[string, JobRequest]>) : [];
  } catch {
    return [];
  }
}
