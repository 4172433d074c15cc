import type { BudgetState } from './budget-state.js';
import { advanceBudget } from './advance-budget.js';
import { tryTake, type BudgetLimit, type TakeOptions } from './try-take.js';

export type TakeAllResult =
  | { readonly ok: true; readonly states: readonly BudgetState[]; readonly waitMs: 0 }
  | { readonly ok: false; readonly states: readonly BudgetState[]; readonly waitMs: number; readonly limits: readonly { readonly budget: number; readonly limits: readonly BudgetLimit[] }[] };

/**
 * Takes from several budgets that all apply to one request (QBO: 500 per minute and 10 per
 * second per company; a batch also counts against 40 batches per minute), all or nothing: when
 * one says no, none is charged and waitMs is the longest wait among those that said no.
 * The slot option applies to every budget given.
 */
export function tryTakeAll(states: readonly BudgetState[], now: number, cost = 1, options: TakeOptions = {}): TakeAllResult {
  const results = states.map((state) => tryTake(state, now, cost, options));
  const refused = results.flatMap((r, budget) => (r.ok ? [] : [{ budget, limits: r.limits, waitMs: r.waitMs }]));
  if (refused.length === 0) return { ok: true, states: results.map((r) => r.state), waitMs: 0 };
  return {
    ok: false,
    states: states.map((state) => advanceBudget(state, now)),
    waitMs: Math.max(...refused.map((r) => r.waitMs)),
    limits: refused.map(({ budget, limits }) => ({ budget, limits })),
  };
}
