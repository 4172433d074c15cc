import type { BudgetState } from './budget-state.js';

/** Frees the concurrency slot held under `id` (a no-op when it already expired or was freed). */
export function releaseSlot(state: BudgetState, id: string): BudgetState {
  return { ...state, slots: state.slots.filter((s) => s.id !== id) };
}
