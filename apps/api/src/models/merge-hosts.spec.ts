import { describe, expect, it } from 'vitest';
import { mergeHosts } from './merge-hosts';

describe('mergeHosts', () => {
  const host = (url: string, healthy: boolean, ejectedUntil: string | null, inFlight: number) => ({ url, healthy, ejectedUntil, inFlight });

  it("takes the first worker's view as it is", () => {
    expect(mergeHosts(undefined, [host('http://a', true, null, 1)])).toEqual([host('http://a', true, null, 1)]);
  });

  it('is unhealthy when any worker ejects the host, until its latest ejection ends, with the tries summed', () => {
    const one = [host('http://a', false, '2026-01-01T00:01:00.000Z', 0), host('http://b', true, null, 2)];
    const two = [host('http://a', false, '2026-01-01T00:02:00.000Z', 1), host('http://b', true, null, 3)];
    expect(mergeHosts(one, two)).toEqual([host('http://a', false, '2026-01-01T00:02:00.000Z', 1), host('http://b', true, null, 5)]);
    expect(mergeHosts([host('http://a', true, null, 0)], [host('http://a', false, '2026-01-01T00:01:00.000Z', 0)])).toEqual([host('http://a', false, '2026-01-01T00:01:00.000Z', 0)]);
  });
});
