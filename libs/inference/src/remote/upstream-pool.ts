import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy, type IBackoff, type IBackoffFactory, type IBreaker } from 'cockatiel';
import type { Resilience } from '@atelier/models';
import { UpstreamFault } from './upstream-errors';
import { NO_OBSERVER, type RemoteObserver } from './remote-observer';

/** One host's state as `GET /v1/models` shows it. */
export interface UpstreamHostState {
  url: string;
  healthy: boolean;
  /** ISO time the current ejection ends; null while the host takes traffic. */
  ejectedUntil: string | null;
  /** Tries under way against it from this worker. */
  inFlight: number;
}

/** The breaker's IBreaker with the pool's cap: 3 consecutive faults open it, unless that would eject too many hosts. */
class CappedConsecutiveBreaker implements IBreaker {
  private readonly inner: ConsecutiveBreaker;

  constructor(
    threshold: number,
    private readonly mayEject: () => boolean,
  ) {
    this.inner = new ConsecutiveBreaker(threshold);
  }

  get state(): unknown {
    return this.inner.state;
  }

  set state(value: unknown) {
    this.inner.state = value as number;
  }

  success(): void {
    this.inner.success();
  }

  /** Past the threshold, every further fault asks again: once another host is back, this one may go. */
  failure(): boolean {
    return this.inner.failure() && this.mayEject();
  }
}

export class UpstreamHost {
  inFlight = 0;
  /** Ejections in a row: the n-th lasts n × the base time. */
  private ejections = 0;
  private ejectedUntilMs = 0;
  private healthySince = 0;
  readonly breaker: CircuitBreakerPolicy;

  constructor(
    readonly url: string,
    private readonly resilience: Resilience,
    mayEject: () => boolean,
    onEjected: () => void,
  ) {
    this.breaker = circuitBreaker(handleWhen((error) => error instanceof UpstreamFault), {
      halfOpenAfter: this.ejectionTimes(),
      breaker: new CappedConsecutiveBreaker(resilience.consecutiveFailures, mayEject),
    });
    this.breaker.onBreak(() => onEjected());
    this.breaker.onReset(() => {
      this.healthySince = Date.now();
    });
  }

  /** Counts as ejected while its breaker is open or running its one trial request. */
  get ejected(): boolean {
    return this.breaker.state !== CircuitState.Closed;
  }

  /** May take a try now: closed, or open with its ejection over (the try is then its trial). */
  available(now: number): boolean {
    const state = this.breaker.state;
    return state === CircuitState.Closed || (state === CircuitState.Open && now >= this.ejectedUntilMs);
  }

  /** When an ejected host may take a try again. */
  get returnsAt(): number {
    return this.ejectedUntilMs;
  }

  state(now: number): UpstreamHostState {
    const ejected = this.ejected;
    return { url: this.url, healthy: !ejected, ejectedUntil: ejected ? new Date(Math.max(this.ejectedUntilMs, now)).toISOString() : null, inFlight: this.inFlight };
  }

  /**
   * The breaker's half-open delay, one per ejection: base × ejections in a row, at most the
   * maximum. Each base period the host stayed healthy since its last reset takes one off.
   */
  private ejectionTimes(): IBackoffFactory<unknown> {
    const next = (): IBackoff<unknown> => {
      const now = Date.now();
      if (this.healthySince) {
        this.ejections = Math.max(0, this.ejections - Math.floor((now - this.healthySince) / this.resilience.ejectionMs));
        this.healthySince = 0;
      }
      this.ejections++;
      const duration = Math.min(this.resilience.maxEjectionMs, this.resilience.ejectionMs * this.ejections);
      this.ejectedUntilMs = now + duration;
      return { duration, next };
    };
    return { next };
  }
}

/**
 * A remote model's upstream hosts: one cockatiel circuit breaker per host does the outlier
 * ejection (consecutive faults, growing ejection time, capped share of ejected hosts), and tries
 * go to the available host with the fewest outstanding requests (ties in turn).
 */
export class UpstreamPool {
  readonly hosts: UpstreamHost[];
  private turn = 0;

  constructor(
    readonly model: string,
    urls: string[],
    readonly resilience: Resilience,
    observer: RemoteObserver = NO_OBSERVER,
  ) {
    this.hosts = urls.map((url) => new UpstreamHost(url, resilience, () => this.mayEjectAnother(), () => observer.onEjection(model, url)));
  }

  /** The cap: at most maxEjectedPercent of the hosts (at least one, unless the share is 0). */
  private mayEjectAnother(): boolean {
    const percent = this.resilience.maxEjectedPercent;
    if (percent === 0) return false;
    const cap = Math.max(1, Math.floor((this.hosts.length * percent) / 100));
    return this.hosts.filter((h) => h.ejected).length < cap;
  }

  /** The available host with the fewest tries in flight; undefined when every host is ejected. */
  pick(now = Date.now()): UpstreamHost | undefined {
    const n = this.hosts.length;
    let best: UpstreamHost | undefined;
    for (let i = 0; i < n; i++) {
      const host = this.hosts[(this.turn + i) % n];
      if (host.available(now) && (!best || host.inFlight < best.inFlight)) best = host;
    }
    if (best) this.turn = (this.hosts.indexOf(best) + 1) % n;
    return best;
  }

  /** The earliest time an ejected host comes back, for a call that found none available. */
  nextReturn(): number | undefined {
    const times = this.hosts.filter((h) => h.breaker.state === CircuitState.Open).map((h) => h.returnsAt);
    return times.length ? Math.min(...times) : undefined;
  }

  states(now = Date.now()): UpstreamHostState[] {
    return this.hosts.map((h) => h.state(now));
  }
}
