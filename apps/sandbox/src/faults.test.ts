import { describe, expect, it } from 'vitest';
import { FaultInjector } from './faults.js';

function run(injector: FaultInjector, n: number): string[] {
  return Array.from({ length: n }, () => injector.decide('qbo').fault);
}

describe('FaultInjector', () => {
  it('answers nothing unusual until told to', () => {
    const injector = new FaultInjector();
    expect(run(injector, 50).every((f) => f === 'none')).toBe(true);
    expect(injector.dropAfterCommit('qbo')).toBe(false);
  });

  it('repeats the same faults for the same seed', () => {
    const a = new FaultInjector();
    const b = new FaultInjector();
    a.set('qbo', { errorRate: 0.3, seed: 42 });
    b.set('qbo', { errorRate: 0.3, seed: 42 });
    const first = run(a, 200);
    expect(run(b, 200)).toEqual(first);
    expect(first.filter((f) => f !== 'none').length).toBeGreaterThan(20);
    expect(first.filter((f) => f !== 'none').length).toBeLessThan(120);
    expect(new Set(first)).toEqual(new Set(['none', 'error500', 'error503']));
  });

  it('answers 429 for exactly the next N calls, and an expired token exactly once, per provider', () => {
    const injector = new FaultInjector();
    injector.set('qbo', { burst429: 2, tokenExpired: true });
    expect(run(injector, 4)).toEqual(['tokenExpired', 'throttle', 'throttle', 'none']);
    expect(injector.decide('xero').fault).toBe('none');
    expect(injector.get('qbo')).toMatchObject({ burst429: 0, tokenExpired: false });
  });

  it('drops committed writes at the configured rate and reset clears every setting', () => {
    const injector = new FaultInjector();
    injector.set('hubspot', { timeoutAfterCommitRate: 1, latencyMs: 5 });
    expect(injector.dropAfterCommit('hubspot')).toBe(true);
    expect(injector.decide('hubspot').latencyMs).toBe(5);
    injector.reset();
    expect(injector.dropAfterCommit('hubspot')).toBe(false);
    expect(injector.all().hubspot.latencyMs).toBe(0);
  });
});
