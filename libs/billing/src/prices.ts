/** The size of a piece of work, for its cost and the plan's per-job limits. */
export interface Workload {
  pixels: number;
  steps: number;
  batch: number;
}

/** Credits: `base`, or for work that scales, `perMegapixelStep` × megapixels (2²⁰ px) × steps × batch, at least `base`. */
export interface CostRule {
  base: number;
  perMegapixelStep?: number;
}

/**
 * What work costs, in one place: job types and workflow nodes both price themselves from here,
 * so a KSampler node costs what the same txt2img job costs.
 */
export const PRICES = {
  /** Ten credits for one 512×512, 20-step image. */
  generation: { base: 1, perMegapixelStep: 2 },
  upscale: { base: 5 },
  analysis: { base: 2 },
  imageOperation: { base: 1 },
} as const satisfies Record<string, CostRule>;

const MEGAPIXEL = 2 ** 20;

/** The credits of a rule for a workload (the base alone when the rule does not scale). */
export function costOf(rule: CostRule, workload?: Workload): number {
  if (rule.perMegapixelStep === undefined || !workload) return rule.base;
  return Math.max(rule.base, Math.ceil(rule.perMegapixelStep * (workload.pixels / MEGAPIXEL) * workload.steps * workload.batch));
}
