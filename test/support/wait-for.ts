import { setTimeout as delay } from 'node:timers/promises';

export interface WaitForOptions {
  /** What is awaited, for the timeout message ("job abc to succeed"); a function may add the state last seen. */
  what: string | (() => string);
  timeoutMs?: number;
  /** Time between two checks of the condition. */
  intervalMs?: number;
}

/**
 * Re-checks `condition` until it returns a truthy value, and resolves with that value; rejects once
 * the deadline passes. A check that throws (a port not answering yet) counts as "not yet", and its
 * error goes into the timeout message.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions): Promise<NonNullable<T>> {
  const { timeoutMs = 30_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = typeof options.what === 'function' ? options.what() : options.what;
      const cause = lastError === undefined ? '' : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}
