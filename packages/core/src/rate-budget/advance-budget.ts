import { DAY_MS, type BudgetState } from './budget-state.js';

/** The state at `now`: bucket refilled, expired slots reclaimed, the day counter rolled over. */
export function advanceBudget(state: BudgetState, now: number): BudgetState {
  const at = Math.floor(now);
  const { config } = state;
  const elapsed = Math.max(0, at - state.refilledAt);
  const capacity = config.burst * config.unitsPerRequest;
  const units = Math.min(capacity, state.units + elapsed * config.refillUnitsPerMs);
  const day = Math.floor((at - config.dayOffsetMs) / DAY_MS);
  return {
    ...state,
    units,
    refilledAt: Math.max(state.refilledAt, at),
    slots: state.slots.filter((s) => s.expiresAt > at),
    day: Math.max(day, state.day),
    usedToday: day > state.day ? 0 : state.usedToday,
  };
}
