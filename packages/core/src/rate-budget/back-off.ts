import type { BudgetState } from './budget-state.js';
import { advanceBudget } from './advance-budget.js';

/**
 * The provider answered 429 (Retry-After in ms, or the provider's advice such as QBO's 60 s):
 * nothing goes before now + retryAfterMs, and the bucket restarts empty, since the provider
 * counted more than we did.
 */
export function backOff(state: BudgetState, now: number, retryAfterMs: number): BudgetState {
  if (!(retryAfterMs >= 0) || !Number.isFinite(retryAfterMs)) throw new RangeError(`retryAfterMs must be a finite number of at least 0, got ${retryAfterMs}`);
  const current = advanceBudget(state, now);
  return { ...current, units: 0, blockedUntil: Math.max(current.blockedUntil, Math.floor(now) + Math.ceil(retryAfterMs)) };
}
