import { describe, expect, it } from 'vitest';
import { SandboxClock } from './clock.js';
import { LimitSettings, LimitTracker, type WindowRule } from './limits.js';

const PER_MINUTE: WindowRule = { id: 'minute', limit: 3, windowMs: 60_000 };

/** The sandbox clock with wall time taken out, so a test controls every millisecond. */
class StillClock extends SandboxClock {
  private t = Date.UTC(2026, 0, 1);
  override now(): number {
    return this.t;
  }
  override advance(ms: number): void {
    this.t += ms;
  }
}

function setup(): { clock: SandboxClock; settings: LimitSettings; tracker: LimitTracker } {
  const clock = new StillClock();
  const settings = new LimitSettings();
  return { clock, settings, tracker: new LimitTracker(clock, settings) };
}

describe('LimitTracker sliding windows', () => {
  it('allows `limit` requests in a window, refuses the next with the wait until the oldest leaves', () => {
    const { clock, tracker } = setup();
    expect(tracker.acquire('realm-1', [PER_MINUTE]).ok).toBe(true);
    clock.advance(20_000);
    expect(tracker.acquire('realm-1', [PER_MINUTE]).ok).toBe(true);
    const third = tracker.acquire('realm-1', [PER_MINUTE]);
    expect(third.ok && third.remaining.minute).toBe(0);
    const refused = tracker.acquire('realm-1', [PER_MINUTE]);
    expect(refused).toMatchObject({ ok: false, ruleId: 'minute', retryAfterSeconds: 40 });
    clock.advance(40_000);
    expect(tracker.acquire('realm-1', [PER_MINUTE]).ok).toBe(true);
    expect(tracker.acquire('realm-1', [PER_MINUTE]).ok).toBe(false);
  });

  it('is a sliding window, not a fixed one: a burst straddling a minute boundary is still refused', () => {
    const { clock, tracker } = setup();
    clock.advance(59_000 - (clock.now() % 60_000));
    for (let i = 0; i < 3; i += 1) expect(tracker.acquire('k', [PER_MINUTE]).ok).toBe(true);
    clock.advance(2_000);
    expect(tracker.acquire('k', [PER_MINUTE]).ok).toBe(false);
  });

  it('keeps keys apart and a refusal counts nothing under the other rules', () => {
    const { tracker } = setup();
    const wide: WindowRule = { id: 'hour', limit: 100, windowMs: 3_600_000 };
    for (let i = 0; i < 3; i += 1) tracker.acquire('a', [PER_MINUTE, wide]);
    const refused = tracker.acquire('a', [PER_MINUTE, wide]);
    expect(refused.ok).toBe(false);
    expect(refused.remaining.hour).toBe(97);
    expect(tracker.acquire('b', [PER_MINUTE]).ok).toBe(true);
  });

  it('grows its buffer past the initial capacity and still counts exactly', () => {
    const { clock, tracker } = setup();
    const rule: WindowRule = { id: 'r', limit: 500, windowMs: 60_000 };
    for (let i = 0; i < 500; i += 1) {
      expect(tracker.acquire('realm', [rule]).ok).toBe(true);
      clock.advance(10);
    }
    expect(tracker.acquire('realm', [rule]).ok).toBe(false);
    clock.advance(60_000 - 5_000);
    // The first request (t=0) has left the window by now; exactly one slot per 10 ms frees up.
    expect(tracker.acquire('realm', [rule]).ok).toBe(true);
    expect(tracker.acquire('realm', [rule]).ok).toBe(false);
  });
});

describe('LimitTracker concurrency', () => {
  it('admits at most `max` at once and admits again after a release (released twice counts once)', () => {
    const { tracker } = setup();
    const gate = { id: 'concurrent', max: 2 };
    const first = tracker.acquire('realm', [], gate);
    const second = tracker.acquire('realm', [], gate);
    expect(first.ok && second.ok).toBe(true);
    expect(tracker.acquire('realm', [], gate)).toMatchObject({ ok: false, ruleId: 'concurrent' });
    if (!first.ok) throw new Error('first should pass');
    first.release();
    first.release();
    expect(tracker.acquire('realm', [], gate).ok).toBe(true);
    expect(tracker.acquire('realm', [], gate).ok).toBe(false);
  });
});

describe('LimitTracker settings', () => {
  it('time scale N shortens windows N times and reports Retry-After in provider seconds', () => {
    const { clock, settings, tracker } = setup();
    settings.update({ timeScale: 60 });
    for (let i = 0; i < 3; i += 1) tracker.acquire('k', [PER_MINUTE]);
    const refused = tracker.acquire('k', [PER_MINUTE]);
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 60 });
    clock.advance(1_000); // one sandbox second = one provider minute
    expect(tracker.acquire('k', [PER_MINUTE]).ok).toBe(true);
  });

  it('disabled limits admit everything and count nothing', () => {
    const { settings, tracker } = setup();
    settings.update({ enabled: false });
    for (let i = 0; i < 10; i += 1) expect(tracker.acquire('k', [PER_MINUTE], { id: 'c', max: 1 }).ok).toBe(true);
    settings.update({ enabled: true });
    expect(tracker.acquire('k', [PER_MINUTE]).ok).toBe(true);
  });

  it('refuses a time scale that is not positive, naming the field', () => {
    expect(() => new LimitSettings().update({ timeScale: 0 })).toThrow(/timeScale/);
  });

  it('forgets idle keys so memory stays bounded', () => {
    const { clock, tracker } = setup();
    for (let i = 0; i < 5000; i += 1) tracker.acquire(`realm-${i}`, [PER_MINUTE]);
    clock.advance(120_000);
    for (let i = 0; i < 5000; i += 1) tracker.acquire('busy', [{ id: 'big', limit: 1_000_000, windowMs: 1 }]);
    expect(tracker.trackedKeys).toBeLessThan(100);
  });
});
