/** What the remote engines report, for the worker's metrics. */
export interface RemoteObserver {
  /** One try finished against a host: `outcome` is success, 5xx, network, timeout, 4xx, failed or aborted. */
  onTry(model: string, host: string, outcome: string, seconds: number): void;
  /** A failed try is followed by another one. */
  onRetry(model: string, host: string): void;
  /** A host was ejected (again). */
  onEjection(model: string, host: string): void;
}

export const NO_OBSERVER: RemoteObserver = { onTry: () => undefined, onRetry: () => undefined, onEjection: () => undefined };
