import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resilienceSchema } from '@atelier/models';
import { UpstreamFault } from './upstream-errors';
import { UpstreamPool, type UpstreamHost } from './upstream-pool';

const resilience = resilienceSchema.parse({ ejectionMs: 60_000, maxEjectionMs: 300_000, consecutiveFailures: 3, maxEjectedPercent: 50 });
const fault = (host: UpstreamHost) => new UpstreamFault('5xx', host.url, 'boom', 500);

/** One call through the host's breaker that fails with a 5xx (or succeeds). */
async function call(host: UpstreamHost, ok: boolean): Promise<void> {
  await host.breaker
    .execute(async () => {
      if (!ok) throw fault(host);
    })
    .catch(() => undefined);
}

describe('UpstreamPool', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('sends each try to the available host with the fewest in flight, ties in turn', () => {
    const pool = new UpstreamPool('m', ['http://a', 'http://b', 'http://c'], resilience);
    expect([pool.pick(), pool.pick(), pool.pick(), pool.pick()].map((h) => h?.url)).toEqual(['http://a', 'http://b', 'http://c', 'http://a']);
    pool.hosts[0].inFlight = 2;
    pool.hosts[1].inFlight = 1;
    expect(pool.pick()?.url).toBe('http://c');
    pool.hosts[2].inFlight = 3;
    expect(pool.pick()?.url).toBe('http://b');
  });

  it('ejects a host after 3 consecutive faults, for 60 s, and traffic moves to the others', async () => {
    const ejected: string[] = [];
    const pool = new UpstreamPool('m', ['http://a', 'http://b'], resilience, { onTry: () => undefined, onRetry: () => undefined, onEjection: (_m, h) => ejected.push(h) });
    const [a] = pool.hosts;
    await call(a, false);
    await call(a, true); // a success in between resets the count
    await call(a, false);
    await call(a, false);
    expect(a.ejected).toBe(false);
    await call(a, false);
    expect(a.ejected).toBe(true);
    expect(ejected).toEqual(['http://a']);
    expect(pool.states()[0]).toEqual({ url: 'http://a', healthy: false, ejectedUntil: '2026-01-01T00:01:00.000Z', inFlight: 0 });
    expect([pool.pick(), pool.pick()].map((h) => h?.url)).toEqual(['http://b', 'http://b']);
    vi.advanceTimersByTime(59_999);
    expect(a.available(Date.now())).toBe(false);
    vi.advanceTimersByTime(1);
    expect(a.available(Date.now())).toBe(true);
  });

  it('recovers after the ejection: a successful trial closes the breaker', async () => {
    const pool = new UpstreamPool('m', ['http://a', 'http://b'], resilience);
    const [a] = pool.hosts;
    for (let i = 0; i < 3; i++) await call(a, false);
    vi.advanceTimersByTime(60_000);
    await call(a, true);
    expect(pool.states()[0]).toMatchObject({ healthy: true, ejectedUntil: null });
  });

  it('ejects longer each time in a row (base × n, capped), and forgets as the host stays healthy', async () => {
    const pool = new UpstreamPool('m', ['http://a', 'http://b'], resilience);
    const [a] = pool.hosts;
    for (let i = 0; i < 3; i++) await call(a, false);
    expect(a.returnsAt - Date.now()).toBe(60_000);
    vi.advanceTimersByTime(60_000);
    await call(a, false); // the trial fails: ejected again, twice as long
    expect(a.returnsAt - Date.now()).toBe(120_000);
    vi.advanceTimersByTime(120_000);
    await call(a, false);
    expect(a.returnsAt - Date.now()).toBe(180_000);
    vi.advanceTimersByTime(180_000);
    await call(a, true); // healthy again
    vi.advanceTimersByTime(120_000); // two base periods healthy: the multiplier drops from 3 to 1
    for (let i = 0; i < 3; i++) await call(a, false);
    expect(a.returnsAt - Date.now()).toBe(120_000);

    const capped = new UpstreamPool('m', ['http://a', 'http://b'], { ...resilience, maxEjectionMs: 90_000 });
    const [c] = capped.hosts;
    for (let i = 0; i < 3; i++) await call(c, false);
    vi.advanceTimersByTime(60_000);
    await call(c, false);
    expect(c.returnsAt - Date.now()).toBe(90_000);
  });

  it('never ejects more than half the hosts: the next outlier keeps taking traffic until one returns', async () => {
    const pool = new UpstreamPool('m', ['http://a', 'http://b'], resilience);
    const [a, b] = pool.hosts;
    for (let i = 0; i < 3; i++) await call(a, false);
    for (let i = 0; i < 5; i++) await call(b, false);
    expect([a.ejected, b.ejected]).toEqual([true, false]);
    expect(pool.pick()?.url).toBe('http://b');
    vi.advanceTimersByTime(60_000);
    await call(a, true); // a is back: b's next fault ejects it
    await call(b, false);
    expect([a.ejected, b.ejected]).toEqual([false, true]);
  });

  it('may eject a lone host, and says when the first ejected host returns', async () => {
    const pool = new UpstreamPool('m', ['http://a'], resilience);
    for (let i = 0; i < 3; i++) await call(pool.hosts[0], false);
    expect(pool.pick()).toBeUndefined();
    expect(pool.nextReturn()).toBe(Date.now() + 60_000);
    const none = new UpstreamPool('m', ['http://a', 'http://b'], { ...resilience, maxEjectedPercent: 0 });
    for (let i = 0; i < 5; i++) await call(none.hosts[0], false);
    expect(none.hosts[0].ejected).toBe(false);
  });
});
