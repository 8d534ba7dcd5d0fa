import { describe, expect, it } from 'vitest';
import { ReusableBuffer } from './reusable-buffer';

describe('ReusableBuffer', () => {
  it('lends the same memory to uses one after another, a view of the length asked for', async () => {
    const pool = new ReusableBuffer();
    const first = await pool.use(8, async (b) => b);
    const second = await pool.use(4, async (b) => b);
    expect([first.length, second.length]).toEqual([8, 4]);
    expect(second.buffer).toBe(first.buffer);
  });

  it('gives overlapping uses their own memory, and keeps the larger array', async () => {
    const pool = new ReusableBuffer();
    const [a, b] = await pool.use(4, async (outer) => [outer, await pool.use(16, async (inner) => inner)]);
    expect(b.buffer).not.toBe(a.buffer);
    expect((await pool.use(16, async (c) => c)).buffer).toBe(b.buffer);
  });

  it('takes the memory back when the use fails', async () => {
    const pool = new ReusableBuffer();
    let lent: Float32Array | undefined;
    await expect(pool.use(4, async (b) => { lent = b; throw new Error('boom'); })).rejects.toThrow('boom');
    expect((await pool.use(4, async (b) => b)).buffer).toBe(lent!.buffer);
  });
});
