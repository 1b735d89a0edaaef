import type { MatchWeights } from './types';

/**
 * Skills dominate because a consultation fails first on missing expertise; location
 * matters next (onsite work means travel); language and availability mostly separate
 * experts who are otherwise alike. The cross-border bonus is a policy lever that the
 * programme can switch on to favour partnerships across South Baltic borders.
 */
export const DEFAULT_WEIGHTS: Readonly<MatchWeights> = Object.freeze({
  skills: 0.6,
  language: 0.1,
  location: 0.2,
  availability: 0.1,
  crossBorderBonus: 0,
});

export function resolveWeights(overrides: Partial<MatchWeights> | undefined): MatchWeights {
  const weights = { ...DEFAULT_WEIGHTS, ...overrides };
  for (const [name, value] of Object.entries(weights)) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`Match weight "${name}" must be a non-negative number, got ${String(value)}`);
  }
  if (weights.skills + weights.language + weights.location + weights.availability + weights.crossBorderBonus <= 0) {
    throw new Error('At least one match weight must be positive');
  }
  return weights;
}
