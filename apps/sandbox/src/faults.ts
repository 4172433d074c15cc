import { z } from 'zod';

/** The providers the sandbox imitates; each has its own fault settings. */
export const FAULT_PROVIDERS = ['qbo', 'xero', 'hubspot'] as const;
export type FaultProvider = (typeof FAULT_PROVIDERS)[number];

export interface FaultSettings {
  /** 0..1: share of API calls answered 500 or 503 in the provider's error shape. */
  readonly errorRate: number;
  /** Added to every API call before it is handled (real milliseconds). */
  readonly latencyMs: number;
  /** The next N API calls answer 429. */
  readonly burst429: number;
  /** 0..1: share of writes that commit, then lose the connection with no answer. */
  readonly timeoutAfterCommitRate: number;
  /** The next API call answers 401 as if the access token expired (one shot). */
  readonly tokenExpired: boolean;
}

export const FaultSettingsInput = z
  .object({
    errorRate: z.number().min(0).max(1),
    latencyMs: z.number().int().min(0).max(120_000),
    burst429: z.number().int().min(0).max(1_000_000),
    timeoutAfterCommitRate: z.number().min(0).max(1),
    tokenExpired: z.boolean(),
    seed: z.number().int(),
  })
  .partial()
  .strict();
export type FaultSettingsInput = z.infer<typeof FaultSettingsInput>;

const NO_FAULTS: FaultSettings = { errorRate: 0, latencyMs: 0, burst429: 0, timeoutAfterCommitRate: 0, tokenExpired: false };

/**
 * What the provider's route should do with one API call, decided before it runs:
 * answer `fault` instead (`none` = handle it normally) after waiting `latencyMs`.
 */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly fault: 'none' | 'error500' | 'error503' | 'throttle' | 'tokenExpired';
}

/** mulberry32: a small, fast, seedable generator, so a test can repeat a run of faults exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DEFAULT_SEED = 1;

/**
 * Fault injection per provider. A provider's API routes call `decide` once per API call (after
 * parsing, before auth), wait `latencyMs`, answer the fault if any, and after a committed write
 * ask `dropAfterCommit` whether to destroy the connection instead of answering (see
 * `dropConnection` in server.ts). Random choices come from one seeded generator.
 */
export class FaultInjector {
  private readonly settings = new Map<FaultProvider, FaultSettings>();
  private random = mulberry32(DEFAULT_SEED);
  private seedValue = DEFAULT_SEED;

  get(provider: FaultProvider): FaultSettings {
    return this.settings.get(provider) ?? NO_FAULTS;
  }

  all(): Record<FaultProvider, FaultSettings> & { seed: number } {
    return { qbo: this.get('qbo'), xero: this.get('xero'), hubspot: this.get('hubspot'), seed: this.seedValue };
  }

  /** Changes some settings of one provider; `seed` restarts the shared generator. */
  set(provider: FaultProvider, input: FaultSettingsInput): FaultSettings {
    const { seed, ...rest } = input;
    if (seed !== undefined) this.seed(seed);
    const next: FaultSettings = { ...this.get(provider) };
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) Object.assign(next, { [key]: value });
    this.settings.set(provider, next);
    return next;
  }

  seed(seed: number): void {
    this.seedValue = seed;
    this.random = mulberry32(seed);
  }

  reset(): void {
    this.settings.clear();
    this.seed(DEFAULT_SEED);
  }

  /** Decides the fate of one API call and consumes one-shot settings (token expiry, 429 burst). */
  decide(provider: FaultProvider): FaultDecision {
    const current = this.settings.get(provider);
    if (current === undefined) return { latencyMs: 0, fault: 'none' };
    const latencyMs = current.latencyMs;
    if (current.tokenExpired) {
      this.settings.set(provider, { ...current, tokenExpired: false });
      return { latencyMs, fault: 'tokenExpired' };
    }
    if (current.burst429 > 0) {
      this.settings.set(provider, { ...current, burst429: current.burst429 - 1 });
      return { latencyMs, fault: 'throttle' };
    }
    if (current.errorRate > 0 && this.random() < current.errorRate) {
      return { latencyMs, fault: this.random() < 0.5 ? 'error500' : 'error503' };
    }
    return { latencyMs, fault: 'none' };
  }

  /** After a write committed: true when the connection should be dropped without an answer. */
  dropAfterCommit(provider: FaultProvider): boolean {
    const rate = this.settings.get(provider)?.timeoutAfterCommitRate ?? 0;
    return rate > 0 && this.random() < rate;
  }
}

/** Waits `ms` real milliseconds (injected latency); resolves at once for 0. */
export function delay(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
