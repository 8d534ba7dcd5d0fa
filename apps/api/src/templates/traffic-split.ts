import { createHash } from 'node:crypto';
import { templateErrors } from './template-errors';

/** Weights by version number (as JSON object keys): `{"2": 50, "3": 50}`. */
export type TrafficSplit = Record<string, number>;

const MAX_WEIGHT = 1_000_000;

/** Throws 422 INVALID_SPLIT unless every key is an existing version and every weight a positive integer. */
export function checkSplit(split: TrafficSplit, versions: readonly number[]): TrafficSplit {
  const entries = Object.entries(split);
  if (!entries.length) throw templateErrors('INVALID_SPLIT', 'A split needs at least one version', { field: 'split' });
  const known = new Set(versions);
  for (const [key, weight] of entries) {
    if (!/^[1-9]\d*$/.test(key) || !known.has(Number(key))) {
      throw templateErrors('INVALID_SPLIT', `The template has no version ${key}`, { field: `split.${key}` });
    }
    if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
      throw templateErrors('INVALID_SPLIT', `The weight of version ${key} must be an integer from 1 to ${MAX_WEIGHT}`, { field: `split.${key}` });
    }
  }
  return Object.fromEntries(entries.sort(([a], [b]) => Number(a) - Number(b)));
}

/**
 * The version a user is assigned: a stable hash of (template, user) placed on the cumulative
 * weights, so a user keeps their version for as long as the split stays, and users spread over
 * the versions in proportion to the weights.
 */
export function assignVersion(split: TrafficSplit, templateId: string, userId: string): number {
  const entries = Object.entries(split).sort(([a], [b]) => Number(a) - Number(b));
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const bucket = createHash('sha256').update(`${templateId}:${userId}`).digest().readUInt32BE(0) % total;
  let upTo = 0;
  for (const [version, weight] of entries) {
    upTo += weight;
    if (bucket < upTo) return Number(version);
  }
  return Number(entries[entries.length - 1][0]);
}
