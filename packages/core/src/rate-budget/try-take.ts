import { DAY_MS, type BudgetState } from './budget-state.js';
import { advanceBudget } from './advance-budget.js';

export type BudgetLimit = 'window' | 'concurrency' | 'daily' | 'backoff';

export type TakeResult =
  | { readonly ok: true; readonly state: BudgetState; readonly waitMs: 0 }
  | {
      readonly ok: false;
      /** The state brought up to `now` (refilled, expired slots reclaimed); nothing was taken. */
      readonly state: BudgetState;
      /** How long until a retry can succeed if nothing else takes meanwhile (a slot may free sooner). */
      readonly waitMs: number;
      /** Every limit that said no. */
      readonly limits: readonly BudgetLimit[];
    };

export interface TakeOptions {
  /** Also hold one concurrency slot under this id until releaseSlot (or until ttlMs passes). */
  readonly slot?: { readonly id: string; readonly ttlMs: number };
}

/**
 * Takes `cost` requests from the budget at `now`, all or nothing: the window bucket, a
 * concurrency slot (when asked), the daily cap and any provider back-off must all allow it.
 */
export function tryTake(state: BudgetState, now: number, cost = 1, options: TakeOptions = {}): TakeResult {
  const { config } = state;
  if (!Number.isInteger(cost) || cost < 1 || cost > config.burst) {
    throw new RangeError(`cost must be a whole number from 1 to the budget's burst (${config.burst}), got ${cost}: split the work into smaller requests`);
  }
  const at = Math.floor(now);
  const current = advanceBudget(state, at);
  const needed = cost * config.unitsPerRequest;
  const limits: BudgetLimit[] = [];
  const waits: number[] = [];
  if (current.blockedUntil > at) {
    limits.push('backoff');
    waits.push(current.blockedUntil - at);
  }
  if (current.units < needed) {
    limits.push('window');
    waits.push(Math.ceil((needed - current.units) / config.refillUnitsPerMs));
  }
  if (options.slot && current.slots.length >= config.concurrency && !current.slots.some((s) => s.id === options.slot?.id)) {
    limits.push('concurrency');
    waits.push(Math.max(1, Math.min(...current.slots.map((s) => s.expiresAt)) - at));
  }
  if (config.dailyCap !== null && current.usedToday + cost > config.dailyCap) {
    limits.push('daily');
    waits.push((current.day + 1) * DAY_MS + config.dayOffsetMs - at);
  }
  if (limits.length > 0) return { ok: false, state: current, waitMs: Math.max(...waits), limits };
  const slot = options.slot;
  return {
    ok: true,
    waitMs: 0,
    state: {
      ...current,
      units: current.units - needed,
      usedToday: current.usedToday + cost,
      slots: slot ? [...current.slots.filter((s) => s.id !== slot.id), { id: slot.id, expiresAt: at + Math.max(1, Math.floor(slot.ttlMs)) }] : current.slots,
    },
  };
}
