import type { BudgetState } from './budget-state.js';
import { advanceBudget } from './advance-budget.js';

export interface ProviderRemaining {
  /** Requests the provider still allows in its current window (Xero X-MinLimit-Remaining). */
  readonly window?: number;
  /** Requests the provider still allows today (Xero X-DayLimit-Remaining). */
  readonly day?: number;
}

/**
 * Lines the budget up with what the provider reports after a response: when the provider counts
 * fewer requests left than we do (another app, another process, a restart), we take its word.
 * Never raises the budget: it only ever gets more cautious.
 */
export function observeRemaining(state: BudgetState, now: number, remaining: ProviderRemaining): BudgetState {
  const current = advanceBudget(state, now);
  const { config } = current;
  let { units, usedToday } = current;
  if (remaining.window !== undefined && Number.isFinite(remaining.window)) {
    units = Math.min(units, Math.max(0, Math.floor(remaining.window)) * config.unitsPerRequest);
  }
  if (remaining.day !== undefined && Number.isFinite(remaining.day) && config.dailyCap !== null) {
    usedToday = Math.max(usedToday, config.dailyCap - Math.max(0, Math.floor(remaining.day)));
  }
  return { ...current, units, usedToday };
}
