/** Concatenates rows of a batch tensor (one copy). */
export function concat(rows: Float32Array[]): Float32Array {
  if (rows.length === 1) return rows[0];
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  let offset = 0;
  for (const row of rows) {
    out.set(row, offset);
    offset += row.length;
  }
  return out;
}

/** A copy of `length` values from `offset`: later steps must not see a shared buffer change. */
export function slice(data: Float32Array, offset: number, length: number): Float32Array {
  return data.slice(offset, offset + length);
}
