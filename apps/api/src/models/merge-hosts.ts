import type { UpstreamHostStatus } from '@atelier/platform';

/**
 * Each worker ejects hosts on its own: a host is healthy when no worker ejects it, its ejection
 * ends when the latest one does, and its in-flight tries are summed.
 */
export function mergeHosts(seen: UpstreamHostStatus[] | undefined, reported: UpstreamHostStatus[]): UpstreamHostStatus[] {
  if (!seen) return reported.map((h) => ({ ...h }));
  return reported.map((h) => {
    const other = seen.find((s) => s.url === h.url);
    if (!other) return { ...h };
    const until = [h.ejectedUntil, other.ejectedUntil].filter((t): t is string => t !== null).sort().pop() ?? null;
    return { url: h.url, healthy: h.healthy && other.healthy, ejectedUntil: until, inFlight: h.inFlight + other.inFlight };
  });
}
