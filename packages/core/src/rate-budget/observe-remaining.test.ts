import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBudget } from './create-budget.js';
import { observeRemaining } from './observe-remaining.js';
import { tryTake } from './try-take.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const xero = { requestsPerWindow: 60, windowSeconds: 60, concurrency: 5, batchSize: 50, dailyCap: 5000 };

describe('observeRemaining', () => {
  it('takes the provider\'s lower count: none left in the window, or none left today', () => {
    const budget = createBudget(xero, T0);
    expect(tryTake(observeRemaining(budget, T0, { window: 0 }), T0)).toMatchObject({ ok: false, limits: ['window'] });
    expect(tryTake(observeRemaining(budget, T0, { day: 0 }), T0)).toMatchObject({ ok: false, limits: ['daily'] });
    expect(tryTake(observeRemaining(budget, T0, { window: 2, day: 100 }), T0).ok).toBe(true);
  });

  it('never makes the budget more generous than it was', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 5 }), (window, day, spent) => {
        let budget = createBudget(xero, T0);
        for (let i = 0; i < spent; i++) budget = tryTake(budget, T0).state;
        const observed = observeRemaining(budget, T0, { window, day });
        expect(observed.units).toBeLessThanOrEqual(budget.units);
        expect(observed.usedToday).toBeGreaterThanOrEqual(budget.usedToday);
      }),
    );
  });
});
