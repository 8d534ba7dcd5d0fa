import { isOutOfMemory, type Net } from './onnx-net';

/** Remembers how many rows fit at once, so a run that had to shrink does not retry big every step. */
export interface ChunkPolicy {
  rows: number;
}

/**
 * Runs `runRows(start, count)` over `total` rows in chunks of `policy.rows` and concatenates the
 * results. On out-of-memory it halves the chunk, then moves the net to the CPU, recording each
 * step in `degradations`, so the job's output says how it degraded instead of failing.
 */
export async function runChunked(
  net: Net,
  label: string,
  total: number,
  policy: ChunkPolicy,
  degradations: string[],
  runRows: (start: number, count: number) => Promise<Float32Array>,
): Promise<Float32Array[]> {
  for (;;) {
    const size = Math.max(1, Math.min(policy.rows, total));
    try {
      const parts: Float32Array[] = [];
      for (let start = 0; start < total; start += size) parts.push(await runRows(start, Math.min(size, total - start)));
      return parts;
    } catch (error) {
      if (!isOutOfMemory(error)) throw error;
      if (size > 1) {
        policy.rows = Math.ceil(size / 2);
        degradations.push(`${label} batch ${size} → ${policy.rows} after out of memory`);
      } else if (net.provider !== 'cpu') {
        const from = net.provider;
        await net.moveToCpu();
        policy.rows = total;
        degradations.push(`${label} moved from ${from} to cpu after out of memory at batch 1`);
      } else {
        throw error;
      }
    }
  }
}
