import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Limits } from '@ledgerlink/connector-sdk';
import { createBudget } from './create-budget.js';
import { tryTakeAll } from './try-take-all.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const perMinute: Limits = { requestsPerWindow: 500, windowSeconds: 60, concurrency: 10, batchSize: 30 };
const perSecond: Limits = { requestsPerWindow: 10, windowSeconds: 1, concurrency: 10, batchSize: 30 };

describe('tryTakeAll', () => {
  it('charges every budget or none, and waits for the slowest', () => {
    let states = [createBudget(perMinute, T0, { burst: 20 }), createBudget(perSecond, T0, { burst: 3 })];
    let taken = 0;
    for (let i = 0; i < 10; i++) {
      const r = tryTakeAll(states, T0);
      states = [...r.states];
      if (r.ok) taken++;
      else expect(r.limits).toEqual([{ budget: 1, limits: ['window'] }]);
    }
    expect(taken).toBe(3);
    expect(states[0]?.units).toBe((20 - 3) * (states[0]?.config.unitsPerRequest ?? 0));
  });

  it('over any second and any minute, neither limit is ever exceeded', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 120 }), (gaps) => {
        let states = [createBudget(perMinute, T0, { burst: 10 }), createBudget(perSecond, T0, { burst: 5 })];
        let now = T0;
        const takes: number[] = [];
        for (const gap of gaps) {
          now += gap;
          const r = tryTakeAll(states, now);
          states = [...r.states];
          if (r.ok) takes.push(now);
        }
        for (const start of takes) {
          expect(takes.filter((t) => t >= start && t <= start + 1000).length).toBeLessThanOrEqual(10);
          expect(takes.filter((t) => t >= start && t <= start + 60_000).length).toBeLessThanOrEqual(500);
        }
      }),
    );
  });
});
