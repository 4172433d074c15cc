import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Limits } from '@ledgerlink/connector-sdk';
import { createBudget } from './create-budget.js';
import { tryTake } from './try-take.js';
import { releaseSlot } from './release-slot.js';
import { backOff } from './back-off.js';
import type { BudgetState } from './budget-state.js';

const xero: Limits = { requestsPerWindow: 60, windowSeconds: 60, concurrency: 5, batchSize: 50, dailyCap: 5000 };
const T0 = Date.parse('2026-03-01T10:00:00Z');

function takeAll(state: BudgetState, now: number, count: number): { state: BudgetState; taken: number } {
  let current = state;
  let taken = 0;
  for (let i = 0; i < count; i++) {
    const result = tryTake(current, now);
    current = result.state;
    if (!result.ok) break;
    taken++;
  }
  return { state: current, taken };
}

describe('rate budget', () => {
  it('lets a burst go at once, then paces requests so the window limit holds', () => {
    const { state, taken } = takeAll(createBudget(xero, T0), T0, 20);
    expect(taken).toBe(5);
    const refused = tryTake(state, T0);
    expect(refused).toMatchObject({ ok: false, limits: ['window'] });
    const wait = refused.ok ? 0 : refused.waitMs;
    expect(wait).toBeGreaterThan(0);
    expect(tryTake(state, T0 + wait - 1).ok).toBe(false);
    expect(tryTake(state, T0 + wait).ok).toBe(true);
  });

  it('after a quiet window the full burst is back, never more', () => {
    const drained = takeAll(createBudget(xero, T0), T0, 5).state;
    expect(takeAll(drained, T0 + 3_600_000, 20).taken).toBe(5);
  });

  it('holds at most `concurrency` slots; a released or expired slot frees room', () => {
    let state = createBudget({ ...xero, concurrency: 2 }, T0, { burst: 5 });
    for (const id of ['a', 'b']) {
      const r = tryTake(state, T0, 1, { slot: { id, ttlMs: 30_000 } });
      expect(r.ok).toBe(true);
      state = r.state;
    }
    const full = tryTake(state, T0, 1, { slot: { id: 'c', ttlMs: 30_000 } });
    expect(full).toMatchObject({ ok: false, limits: ['concurrency'], waitMs: 30_000 });
    expect(tryTake(releaseSlot(state, 'a'), T0, 1, { slot: { id: 'c', ttlMs: 30_000 } }).ok).toBe(true);
    expect(tryTake(state, T0 + 30_000, 1, { slot: { id: 'c', ttlMs: 30_000 } }).ok).toBe(true);
  });

  it('stops at the daily cap until the provider\'s day turns', () => {
    const capped = createBudget({ ...xero, dailyCap: 3 }, T0);
    const { state, taken } = takeAll(capped, T0, 5);
    expect(taken).toBe(3);
    const refused = tryTake(state, T0 + 120_000);
    expect(refused).toMatchObject({ ok: false, limits: ['daily'], waitMs: Date.parse('2026-03-02T00:00:00Z') - (T0 + 120_000) });
    expect(tryTake(state, Date.parse('2026-03-02T00:00:00Z')).ok).toBe(true);
  });

  it('a 429 blocks everything until Retry-After, then starts from an empty bucket', () => {
    const blocked = backOff(createBudget(xero, T0), T0, 60_000);
    expect(tryTake(blocked, T0 + 59_999)).toMatchObject({ ok: false, limits: ['backoff'] });
    expect(tryTake(blocked, T0 + 60_000).ok).toBe(true);
    expect(takeAll(blocked, T0 + 60_000, 20).taken).toBeLessThan(60);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['a cost above the burst', () => tryTake(createBudget(xero, T0), T0, 6), /cost must be a whole number from 1 to the budget's burst \(5\)/],
    ['a burst above the window limit', () => createBudget(xero, T0, { burst: 61 }), /burst \(61\) cannot exceed/],
    ['no requests per window', () => createBudget({ ...xero, requestsPerWindow: 0 }, T0), /limits.requestsPerWindow must be a whole number/],
    ['a negative Retry-After', () => backOff(createBudget(xero, T0), T0, -1), /retryAfterMs/],
  ])('refuses %s, naming it', (_name, run, message) => {
    expect(run).toThrow(message);
  });

  const arbLimits = fc.record({
    requestsPerWindow: fc.integer({ min: 1, max: 12 }),
    windowSeconds: fc.constantFrom(0.05, 1, 2),
    concurrency: fc.integer({ min: 1, max: 4 }),
    batchSize: fc.constant(10),
    dailyCap: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  });
  const arbStep = fc.record({
    advance: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 3000 })),
    cost: fc.integer({ min: 1, max: 3 }),
    slot: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { nil: null }),
    release: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }),
  });

  it('never exceeds the window limit over any window, the daily cap or the concurrency; never goes negative', () => {
    fc.assert(
      fc.property(arbLimits, fc.integer({ min: 1, max: 12 }), fc.array(arbStep, { maxLength: 80 }), (rawLimits, burstSeed, steps) => {
        const limits: Limits = rawLimits.dailyCap === undefined ? { ...rawLimits, dailyCap: undefined } : rawLimits;
        const burst = Math.min(burstSeed, limits.requestsPerWindow);
        let state = createBudget(limits, T0, { burst });
        let now = T0;
        const takes: { at: number; cost: number }[] = [];
        for (const step of steps) {
          now += step.advance;
          if (step.release) state = releaseSlot(state, step.release);
          const cost = Math.min(step.cost, burst);
          const result = tryTake(state, now, cost, step.slot ? { slot: { id: step.slot, ttlMs: 500 } } : {});
          state = result.state;
          if (result.ok) takes.push({ at: now, cost });
          else expect(result.waitMs).toBeGreaterThan(0);
          expect(state.units).toBeGreaterThanOrEqual(0);
          expect(state.units).toBeLessThanOrEqual(state.config.burst * state.config.unitsPerRequest);
          expect(state.slots.length).toBeLessThanOrEqual(limits.concurrency);
          if (limits.dailyCap !== undefined) expect(state.usedToday).toBeLessThanOrEqual(limits.dailyCap);
        }
        const windowMs = state.config.windowMs;
        for (const start of takes) {
          const inWindow = takes.filter((t) => t.at >= start.at && t.at <= start.at + windowMs).reduce((sum, t) => sum + t.cost, 0);
          expect(inWindow).toBeLessThanOrEqual(limits.requestsPerWindow);
        }
      }),
    );
  });

  it('refills correctly: a refused take succeeds once its waitMs has passed, and not a millisecond before', () => {
    fc.assert(
      fc.property(arbLimits, fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 30 }), (rawLimits, gaps) => {
        const limits: Limits = { ...rawLimits, dailyCap: undefined };
        let state = createBudget(limits, T0);
        let now = T0;
        for (const gap of gaps) {
          now += gap;
          const result = tryTake(state, now);
          state = result.state;
          if (result.ok) continue;
          expect(result.limits).toEqual(['window']);
          if (result.waitMs > 1) expect(tryTake(state, now + result.waitMs - 1).ok).toBe(false);
          const later = tryTake(state, now + result.waitMs);
          expect(later.ok).toBe(true);
        }
      }),
    );
  });
});
