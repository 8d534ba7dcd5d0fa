import { BrokenCircuitError, ExponentialBackoff, handleWhen, retry, TaskCancelledError, timeout, TimeoutStrategy, type IBackoff, type IBackoffFactory, type IRetryBackoffContext } from 'cockatiel';
import { NoUpstreamAvailable, TryAborted, UpstreamFault, outcomeOf } from './upstream-errors';
import { sleep } from './upstream-http';
import type { UpstreamHost, UpstreamPool } from './upstream-pool';
import { NO_OBSERVER, type RemoteObserver } from './remote-observer';

/** One try against one host; it must give up promptly once `signal` fires (and tidy up upstream first). */
export type UpstreamTry<T> = (host: string, signal: AbortSignal) => Promise<T>;

/** How a call ended when it did not return a result. */
export class UpstreamCallFailed extends Error {
  constructor(
    message: string,
    /** The last try's error: an UpstreamRejection or UpstreamRunFailed ends the call as it is. */
    readonly last: unknown,
  ) {
    super(message);
    this.name = 'UpstreamCallFailed';
  }
}

/** A fault, or a host ejected between the pick and the call: another host may do it. */
const retryable = (error: unknown) => error instanceof UpstreamFault || error instanceof BrokenCircuitError;

/**
 * Runs `attempt` with the model's resilience, all cockatiel: an overall deadline, retries with
 * jittered exponential backoff on faults only, a per-try timeout; each try on the host the pool
 * picks, through that host's breaker. Cooperative timeouts: a try is told to stop through its
 * AbortSignal and ends (after interrupting its prompt upstream) before the next one starts, so a
 * retried call never leaves two prompts running. Throws UpstreamCallFailed, or TryAborted when
 * `cancel` fired.
 */
export async function callUpstream<T>(pool: UpstreamPool, attempt: UpstreamTry<T>, cancel: AbortSignal, observer: RemoteObserver = NO_OBSERVER): Promise<T> {
  const r = pool.resilience;
  const deadlineAt = Date.now() + r.deadlineMs;
  const deadline = timeout(r.deadlineMs, TimeoutStrategy.Cooperative);
  const perTry = timeout(r.tryTimeoutMs, TimeoutStrategy.Cooperative);
  const retries = retry(handleWhen(retryable), {
    maxAttempts: r.attempts - 1,
    backoff: untilDeadline(new ExponentialBackoff({ initialDelay: r.backoffMs, maxDelay: r.maxBackoffMs }), deadlineAt),
  });
  let lastHost = '';
  let lastError: unknown;
  retries.onRetry(() => observer.onRetry(pool.model, lastHost));

  const oneTry = async (signal: AbortSignal): Promise<T> => {
    if (signal.aborted) throw new TryAborted();
    const host = await hostFor(pool, deadlineAt, signal);
    lastHost = host.url;
    host.inFlight++;
    const started = performance.now();
    try {
      const result = await host.breaker.execute(({ signal: callSignal }) => tryWithTimeout(host, callSignal), signal);
      observer.onTry(pool.model, host.url, 'success', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      // An abort (deadline, cancel) or a lost race for an ejected host says nothing about the upstream.
      if (!(error instanceof BrokenCircuitError) && !(error instanceof TryAborted)) lastError = error;
      observer.onTry(pool.model, host.url, error instanceof BrokenCircuitError ? 'ejected' : outcomeOf(error), (performance.now() - started) / 1000);
      throw error;
    } finally {
      host.inFlight--;
    }
  };

  const tryWithTimeout = async (host: UpstreamHost, signal: AbortSignal): Promise<T> => {
    let trySignal: AbortSignal | undefined;
    try {
      return await perTry.execute(({ signal: s }) => {
        trySignal = s;
        return attempt(host.url, s);
      }, signal);
    } catch (error) {
      // The try's own timer fired (not the deadline, not a cancel): the host is too slow, a fault.
      const timedOut = trySignal?.aborted && !signal.aborted;
      if (timedOut && (error instanceof TryAborted || error instanceof TaskCancelledError)) {
        throw new UpstreamFault('timeout', host.url, `${host.url} did not finish within ${r.tryTimeoutMs} ms`);
      }
      throw error;
    }
  };

  try {
    return await deadline.execute(({ signal }) => retries.execute(({ signal: s }) => oneTry(s), signal), cancel);
  } catch (error) {
    if (cancel.aborted) throw new TryAborted();
    const last = error instanceof TryAborted || error instanceof TaskCancelledError || error instanceof BrokenCircuitError ? lastError : error;
    if (error instanceof NoUpstreamAvailable) throw new UpstreamCallFailed(error.message, last);
    const why = last instanceof Error ? last.message : 'no answer';
    if (Date.now() >= deadlineAt) throw new UpstreamCallFailed(`No upstream host of ${pool.model} finished the job within ${r.deadlineMs} ms (last: ${why})`, last);
    const gaveUp = last instanceof UpstreamFault || last === undefined;
    throw new UpstreamCallFailed(gaveUp ? `No upstream host of ${pool.model} could do the job (last: ${why})` : why, last);
  }
}

/** The pool's pick, or a wait for the first ejected host to come back if that is before the deadline. */
async function hostFor(pool: UpstreamPool, deadlineAt: number, signal: AbortSignal): Promise<UpstreamHost> {
  const host = pool.pick();
  if (host) return host;
  const back = pool.nextReturn();
  if (back === undefined || back >= deadlineAt) {
    throw new NoUpstreamAvailable(`Every upstream host of ${pool.model} is ejected and none is back before the deadline`);
  }
  await sleep(Math.max(0, back - Date.now()), signal);
  const again = pool.pick();
  if (!again) throw new NoUpstreamAvailable(`No upstream host of ${pool.model} can take the job`);
  return again;
}

/** Cockatiel's jittered exponential backoff, never waiting past the deadline. */
function untilDeadline(factory: ExponentialBackoff<IRetryBackoffContext<unknown>>, deadlineAt: number): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const clamp = (backoff: IBackoff<IRetryBackoffContext<unknown>>): IBackoff<IRetryBackoffContext<unknown>> => ({
    get duration() {
      return Math.min(backoff.duration, Math.max(0, deadlineAt - Date.now()));
    },
    next: (context) => clamp(backoff.next(context)),
  });
  return { next: () => clamp(factory.next()) };
}
