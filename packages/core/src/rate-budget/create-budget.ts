import type { Limits } from '@ledgerlink/connector-sdk';
import { DAY_MS, type BudgetState } from './budget-state.js';

export interface BudgetOptions {
  /** Requests allowed at once after a quiet spell; default min(concurrency, requestsPerWindow). */
  readonly burst?: number;
  /** When the provider's day starts, in ms after UTC midnight (default 0). */
  readonly dayOffsetMs?: number;
}

function wholeAtLeast(value: number, min: number, field: string, fix: string): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${field} must be a whole number of at least ${min}, got ${value}: ${fix}`);
  return value;
}

/** A full budget for a connector's Limits, as of `now` (ms since the epoch). */
export function createBudget(limits: Limits, now: number, options: BudgetOptions = {}): BudgetState {
  const requestsPerWindow = wholeAtLeast(limits.requestsPerWindow, 1, 'limits.requestsPerWindow', 'use the provider\'s documented request limit');
  if (!(limits.windowSeconds > 0)) throw new RangeError(`limits.windowSeconds must be above 0, got ${limits.windowSeconds}`);
  const windowMs = Math.max(1, Math.round(limits.windowSeconds * 1000));
  const concurrency = wholeAtLeast(limits.concurrency, 1, 'limits.concurrency', 'use the provider\'s concurrent request limit');
  const burst = wholeAtLeast(options.burst ?? Math.min(concurrency, requestsPerWindow), 1, 'burst', 'allow at least one request at once');
  if (burst > requestsPerWindow) throw new RangeError(`burst (${burst}) cannot exceed limits.requestsPerWindow (${requestsPerWindow})`);
  const dailyCap = limits.dailyCap === undefined ? null : wholeAtLeast(limits.dailyCap, 1, 'limits.dailyCap', 'leave it out when there is no daily cap');
  const dayOffsetMs = options.dayOffsetMs ?? 0;
  const at = Math.floor(now);
  const unitsPerRequest = windowMs + 1;
  return {
    config: { requestsPerWindow, windowMs, burst, unitsPerRequest, refillUnitsPerMs: requestsPerWindow - burst + 1, concurrency, dailyCap, dayOffsetMs },
    units: burst * unitsPerRequest,
    refilledAt: at,
    slots: [],
    day: Math.floor((at - dayOffsetMs) / DAY_MS),
    usedToday: 0,
    blockedUntil: 0,
  };
}
