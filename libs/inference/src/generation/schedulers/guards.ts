/** Shared input checks, so every scheduler fails the same clear way instead of returning NaNs. */
export function assertSteps(scheduler: string, steps: number, max: number, maxName: string): void {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`${scheduler}: steps must be an integer >= 1, got ${steps}`);
  }
  if (steps > max) {
    throw new Error(`${scheduler}: steps (${steps}) must not exceed ${maxName} (${max})`);
  }
}

export function assertStepIndex(scheduler: string, stepIndex: number, steps: number): void {
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= steps) {
    throw new RangeError(`${scheduler}: step index ${stepIndex} is outside 0..${steps - 1}`);
  }
}

export function assertSameLength(scheduler: string, a: Float32Array, b: Float32Array, what: string): void {
  if (a.length !== b.length) {
    throw new Error(`${scheduler}: ${what} lengths differ (${a.length} vs ${b.length})`);
  }
}
