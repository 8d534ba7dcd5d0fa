/**
 * One Float32Array lent out at a time and kept between uses, for tensor inputs of several MB:
 * writing into fresh memory costs more (zeroing, page faults) than the normalisation written
 * into it. A borrower while it is out, or one that needs more, gets a new array; the larger is kept.
 */
export class ReusableBuffer {
  private spare?: Float32Array;

  /** Runs `fn` with `length` floats (stale values: `fn` must write every one) that it must not keep. */
  async use<T>(length: number, fn: (buffer: Float32Array) => Promise<T>): Promise<T> {
    const buffer = this.spare && this.spare.length >= length ? this.spare : new Float32Array(length);
    if (buffer === this.spare) this.spare = undefined;
    try {
      return await fn(buffer.subarray(0, length));
    } finally {
      if (!this.spare || this.spare.length < buffer.length) this.spare = buffer;
    }
  }
}
