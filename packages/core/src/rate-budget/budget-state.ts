/**
 * The state of one remote tenant's rate budget: plain JSON, so a Redis-backed implementation can
 * store it and run the pure transitions (tryTake, releaseSlot, backOff) inside a transaction.
 * Times are integer milliseconds since the epoch, passed in by the caller.
 *
 * Tokens are kept in integer units (one request = `unitsPerRequest` units) so the arithmetic is
 * exact: the bucket holds at most `burst` requests and refills `refillUnitsPerMs` units per ms,
 * chosen so that no closed window of `windowMs` ever sees more than `requestsPerWindow` requests:
 *   unitsPerRequest = windowMs + 1, refillUnitsPerMs = requestsPerWindow - burst + 1
 *   takes in [t, t + windowMs] ≤ burst + windowMs·(L − burst + 1)/(windowMs + 1) < L + 1
 */
export interface BudgetConfig {
  readonly requestsPerWindow: number;
  readonly windowMs: number;
  /** Requests that may go at once after a quiet spell (1 ≤ burst ≤ requestsPerWindow). */
  readonly burst: number;
  readonly unitsPerRequest: number;
  readonly refillUnitsPerMs: number;
  readonly concurrency: number;
  /** Requests per day; null when the provider has no daily cap. */
  readonly dailyCap: number | null;
  /** Days start at UTC midnight plus this offset (the provider's reset time). */
  readonly dayOffsetMs: number;
}

export interface BudgetSlot {
  readonly id: string;
  /** A slot whose holder died is reclaimed after this time. */
  readonly expiresAt: number;
}

export interface BudgetState {
  readonly config: BudgetConfig;
  /** Integer units in the bucket, 0 ≤ units ≤ burst · unitsPerRequest. */
  readonly units: number;
  readonly refilledAt: number;
  readonly slots: readonly BudgetSlot[];
  /** Day number (days since the epoch, offset applied) that usedToday counts. */
  readonly day: number;
  readonly usedToday: number;
  /** The provider said 429 with Retry-After: nothing goes before this time. */
  readonly blockedUntil: number;
}

export const DAY_MS = 86_400_000;
