import type { SandboxClock } from './clock.js';

/** At most `limit` requests in any span of `windowMs` provider milliseconds. */
export interface WindowRule {
  readonly id: string;
  readonly limit: number;
  readonly windowMs: number;
}

export type LimitVerdict =
  | { readonly ok: true; readonly release: () => void; readonly remaining: Readonly<Record<string, number>> }
  | { readonly ok: false; readonly ruleId: string; readonly retryAfterSeconds: number; readonly remaining: Readonly<Record<string, number>> };

/**
 * Sandbox-wide limit settings, held on the state and shared by every provider's tracker.
 * `timeScale` N makes every window last windowMs/N sandbox milliseconds, so a benchmark can run
 * minutes of provider time quickly; Retry-After is still reported in provider seconds.
 */
export class LimitSettings {
  enabled = true;
  timeScale = 1;

  update(input: { enabled?: boolean | undefined; timeScale?: number | undefined }): void {
    if (input.timeScale !== undefined) {
      if (!Number.isFinite(input.timeScale) || input.timeScale <= 0) {
        throw new RangeError(`timeScale must be a positive number (1 = real time, 60 = a minute passes in a second); got ${String(input.timeScale)}`);
      }
      this.timeScale = input.timeScale;
    }
    if (input.enabled !== undefined) this.enabled = input.enabled;
  }

  reset(): void {
    this.enabled = true;
    this.timeScale = 1;
  }

  toJSON(): { enabled: boolean; timeScale: number } {
    return { enabled: this.enabled, timeScale: this.timeScale };
  }
}

/**
 * The times of the requests still inside one rule's window, oldest first, in a growable ring
 * buffer that never holds more than `limit` entries: expired entries fall off the front, so each
 * request costs O(1) amortised and memory is bounded by the limit.
 */
class SlidingWindow {
  private times: Float64Array;
  private start = 0;
  size = 0;
  lastUsed = 0;
  /** The window's length in sandbox ms at its last use. */
  span = 0;

  constructor(readonly limit: number) {
    this.times = new Float64Array(Math.min(limit, 16));
  }

  /** Drops the entries at or before `cutoff`. */
  expire(cutoff: number): void {
    while (this.size > 0 && (this.times[this.start] ?? 0) <= cutoff) {
      this.start = (this.start + 1) % this.times.length;
      this.size -= 1;
    }
  }

  oldest(): number {
    return this.times[this.start] ?? 0;
  }

  push(time: number): void {
    if (this.size === this.times.length) {
      const grown = new Float64Array(Math.min(this.limit, this.times.length * 2));
      for (let i = 0; i < this.size; i += 1) grown[i] = this.times[(this.start + i) % this.times.length] ?? 0;
      this.times = grown;
      this.start = 0;
    }
    this.times[(this.start + this.size) % this.times.length] = time;
    this.size += 1;
    this.lastUsed = time;
  }
}

interface KeyState {
  readonly windows: Map<string, SlidingWindow>;
  readonly inFlight: Map<string, number>;
}

/** How many requests between sweeps of idle keys. */
const SWEEP_EVERY = 4096;

/**
 * Sliding-window rate limits and a concurrency gate per key (e.g. per realm), read from the
 * sandbox clock so `POST /_control/clock` and the time scale move windows without sleeping.
 */
export class LimitTracker {
  private readonly keys = new Map<string, KeyState>();
  private sinceSweep = 0;

  constructor(
    private readonly clock: SandboxClock,
    /** Pass `state.limits` so the control API's enabled/timeScale apply; a private default otherwise. */
    readonly settings: LimitSettings = new LimitSettings(),
  ) {}

  /** Counts one request for `key` under each sliding-window rule and enters the concurrency gate; a refusal counts nothing. */
  acquire(key: string, rules: readonly WindowRule[], concurrency?: { id: string; max: number }): LimitVerdict {
    if (!this.settings.enabled) return { ok: true, release: noop, remaining: {} };
    const now = this.clock.now();
    const scale = this.settings.timeScale;
    this.maybeSweep(now);
    let state = this.keys.get(key);
    if (state === undefined) {
      state = { windows: new Map(), inFlight: new Map() };
      this.keys.set(key, state);
    }
    const remaining: Record<string, number> = {};
    let refusal: { ruleId: string; retryAfterSeconds: number } | undefined;
    const windows: SlidingWindow[] = [];
    for (const rule of rules) {
      let window = state.windows.get(rule.id);
      if (window === undefined || window.limit !== rule.limit) {
        window = new SlidingWindow(rule.limit);
        state.windows.set(rule.id, window);
      }
      const span = rule.windowMs / scale;
      window.span = span;
      window.expire(now - span);
      windows.push(window);
      remaining[rule.id] = Math.max(0, rule.limit - window.size);
      if (refusal === undefined && window.size >= rule.limit) {
        const waitMs = window.oldest() + span - now;
        refusal = { ruleId: rule.id, retryAfterSeconds: Math.max(1, Math.ceil((waitMs * scale) / 1000)) };
      }
    }
    if (concurrency !== undefined) {
      const busy = state.inFlight.get(concurrency.id) ?? 0;
      remaining[concurrency.id] = Math.max(0, concurrency.max - busy);
      if (refusal === undefined && busy >= concurrency.max) refusal = { ruleId: concurrency.id, retryAfterSeconds: 1 };
    }
    if (refusal !== undefined) return { ok: false, ...refusal, remaining };

    for (const [i, window] of windows.entries()) {
      window.push(now);
      const rule = rules[i];
      if (rule !== undefined) remaining[rule.id] = Math.max(0, rule.limit - window.size);
    }
    if (concurrency === undefined) return { ok: true, release: noop, remaining };
    const gate = state;
    gate.inFlight.set(concurrency.id, (gate.inFlight.get(concurrency.id) ?? 0) + 1);
    remaining[concurrency.id] = Math.max(0, concurrency.max - (gate.inFlight.get(concurrency.id) ?? 0));
    let released = false;
    return {
      ok: true,
      remaining,
      release: () => {
        if (released) return;
        released = true;
        const left = (gate.inFlight.get(concurrency.id) ?? 1) - 1;
        if (left <= 0) gate.inFlight.delete(concurrency.id);
        else gate.inFlight.set(concurrency.id, left);
      },
    };
  }

  /** Forgets every window and gate (the control API's reset). */
  clear(): void {
    this.keys.clear();
  }

  /** Number of keys currently tracked (for tests of bounded memory). */
  get trackedKeys(): number {
    return this.keys.size;
  }

  private maybeSweep(now: number): void {
    this.sinceSweep += 1;
    if (this.sinceSweep < SWEEP_EVERY) return;
    this.sinceSweep = 0;
    for (const [key, state] of this.keys) {
      for (const [id, window] of state.windows) if (now - window.lastUsed > window.span) state.windows.delete(id);
      if (state.windows.size === 0 && state.inFlight.size === 0) this.keys.delete(key);
    }
  }
}

function noop(): void {
  // Nothing to release: no concurrency gate was entered.
}
