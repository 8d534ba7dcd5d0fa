/**
 * What went wrong in one try against one upstream host. Only a fault (5xx, reset, refused, a try
 * timeout) counts against the host and is retried; a rejection (4xx) or a failed run is the
 * request's fault and ends the call with the upstream's message.
 */
export type FaultKind = '5xx' | 'network' | 'timeout';

export class UpstreamFault extends Error {
  constructor(
    readonly kind: FaultKind,
    readonly host: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UpstreamFault';
  }
}

/** The upstream answered 4xx: the request is wrong for it, another try would be refused alike. */
export class UpstreamRejection extends Error {
  constructor(
    readonly host: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamRejection';
  }
}

/** The upstream took the prompt and its run failed there (an execution error, an empty output node). */
export class UpstreamRunFailed extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamRunFailed';
  }
}

/** No host may take a try now, and none comes back before the deadline. */
export class NoUpstreamAvailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoUpstreamAvailable';
  }
}

/** The try's signal fired (its timeout, the deadline or the job's cancel): not the host's answer. */
export class TryAborted extends Error {
  constructor() {
    super('the try was aborted');
    this.name = 'TryAborted';
  }
}

/** The outcome label of a try, for metrics. */
export function outcomeOf(error: unknown): string {
  if (error instanceof UpstreamFault) return error.kind;
  if (error instanceof UpstreamRejection) return '4xx';
  if (error instanceof UpstreamRunFailed) return 'failed';
  if (error instanceof TryAborted) return 'aborted';
  return 'error';
}
