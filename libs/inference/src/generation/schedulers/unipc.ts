import type { SigmaSchedule } from '@atelier/models';
import { EulerBase } from './euler-base';
import { assertSameLength } from './guards';
import type { GaussianSource, SchedulerConfig } from './scheduler';

/** UniPC's B(h): `bh1` (−h, ComfyUI's uni_pc) or `bh2` (e^(−h) − 1, diffusers' default, ComfyUI's uni_pc_bh2). */
export type UniPcVariant = 'bh1' | 'bh2';

const ORDER = 2;

/**
 * UniPC (Zhao et al. 2023) as diffusers' UniPCMultistepScheduler runs it with predict_x0,
 * solver_order 2 and lower_order_final: each step first corrects the current sample with the
 * new data prediction (UniC, which costs no model call), then predicts the next one (UniP).
 * diffusers works on the variance-preserving sample; this is the same solver on the sigma-space
 * sample (x_ve = x_vp / alpha, lambda = −log sigma), where every alpha factor cancels. Keeps the
 * last two data predictions and the last sample.
 */
export class UniPcScheduler extends EulerBase {
  readonly name: 'unipc' | 'unipc-bh2';
  private history: Array<{ denoised: Float64Array; stepIndex: number }> = [];
  private lastSample?: Float64Array;
  private lastOrder = 1;

  constructor(
    config: SchedulerConfig,
    steps: number,
    schedule: SigmaSchedule = 'normal',
    private readonly variant: UniPcVariant = 'bh1',
  ) {
    const name = variant === 'bh1' ? 'unipc' : 'unipc-bh2';
    super(config, steps, name, schedule);
    this.name = name;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _noise: GaussianSource): Float32Array {
    this.checkIndex(stepIndex);
    assertSameLength(this.name, modelOutput, sample, 'model output and sample');
    const denoised = this.denoised(modelOutput, sample, stepIndex);
    const last = this.history.at(-1);
    // A step out of order (a new run) starts the solver afresh.
    if (!last || last.stepIndex !== stepIndex - 1) this.reset();
    let x: Float64Array = Float64Array.from(sample);
    if (this.lastSample) x = this.correct(denoised, stepIndex);
    this.history = [...this.history, { denoised, stepIndex }].slice(-ORDER);
    const order = Math.min(ORDER, this.timesteps.length - stepIndex, this.history.length);
    this.lastOrder = order;
    this.lastSample = x;
    return Float32Array.from(this.predict(x, stepIndex, order));
  }

  private reset(): void {
    this.history = [];
    this.lastSample = undefined;
    this.lastOrder = 1;
  }

  /** UniP: from sample x at step i (history ends with its data prediction) to step i+1. */
  private predict(x: Float64Array, stepIndex: number, order: number): Float64Array {
    const m0 = this.history.at(-1)!.denoised;
    const sigma = this.sigmas[stepIndex];
    const next = this.sigmas[stepIndex + 1];
    if (next === 0) return m0;
    const h = Math.log(sigma) - Math.log(next);
    const { phi1, bh } = this.coefficients(h, [1], 1);
    const out = new Float64Array(x.length);
    if (order === 1) {
      for (let k = 0; k < x.length; k++) out[k] = (next / sigma) * x[k] - phi1 * m0[k];
      return out;
    }
    // Order 2: rho_p = 1/2 on D1 = (m_prev − m0) / r_k.
    const prev = this.history.at(-2)!.denoised;
    const rk = (Math.log(sigma) - Math.log(this.sigmas[stepIndex - 1])) / h;
    for (let k = 0; k < x.length; k++) out[k] = (next / sigma) * x[k] - phi1 * m0[k] - bh * 0.5 * ((prev[k] - m0[k]) / rk);
    return out;
  }

  /** UniC: the sample of step i, predicted from step i−1, corrected with step i's data prediction. */
  private correct(modelT: Float64Array, stepIndex: number): Float64Array {
    const order = this.lastOrder;
    const m0 = this.history.at(-1)!.denoised;
    const x = this.lastSample!;
    const sigma = this.sigmas[stepIndex];
    const previousSigma = this.sigmas[stepIndex - 1];
    const h = Math.log(previousSigma) - Math.log(sigma);
    const rks: number[] = [];
    const d1s: Float64Array[] = [];
    if (order === 2) {
      const rk = (Math.log(previousSigma) - Math.log(this.sigmas[stepIndex - 2])) / h;
      const mi = this.history.at(-2)!.denoised;
      rks.push(rk);
      d1s.push(m0.map((v, k) => (mi[k] - v) / rk));
    }
    rks.push(1);
    const { phi1, bh, R, b } = this.coefficients(h, rks, order);
    let rhos: number[];
    if (order === 1) rhos = [0.5];
    else {
      const det = R[0][0] * R[1][1] - R[0][1] * R[1][0];
      rhos = [(b[0] * R[1][1] - R[0][1] * b[1]) / det, (R[0][0] * b[1] - R[1][0] * b[0]) / det];
    }
    const out = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) {
      const corr = d1s.length ? rhos[0] * d1s[0][k] : 0;
      out[k] = (sigma / previousSigma) * x[k] - phi1 * m0[k] - bh * (corr + rhos[rhos.length - 1] * (modelT[k] - m0[k]));
    }
    return out;
  }

  /** h_phi_1 = e^(−h) − 1, B(h), and UniPC's R (powers of r_k) and b (the phi_k terms over B(h)). */
  private coefficients(h: number, rks: number[], order: number): { phi1: number; bh: number; R: number[][]; b: number[] } {
    const hh = -h;
    const phi1 = Math.expm1(hh);
    const bh = this.variant === 'bh1' ? hh : Math.expm1(hh);
    let phiK = phi1 / hh - 1;
    let factorial = 1;
    const R: number[][] = [];
    const b: number[] = [];
    for (let i = 1; i <= order; i++) {
      R.push(rks.map((rk) => rk ** (i - 1)));
      b.push((phiK * factorial) / bh);
      factorial *= i + 1;
      phiK = phiK / hh - 1 / factorial;
    }
    return { phi1, bh, R, b };
  }
}
