import { Inject, Injectable } from '@nestjs/common';
import type { Limits } from '@ledgerlink/connector-sdk';
import { backOff, type BudgetState, createBudget, releaseSlot, tryTake } from '@ledgerlink/core';
import { APP_CONFIG } from '../app/tokens.js';
import type { AppConfig } from '../config/config.js';
import { RedisStore } from '../queue/redis-store.service.js';
import { TransactionQueue } from './transaction-queue.service.js';

/** The budget is out for longer than a worker should sleep: the job goes back to the queue. */
export class BudgetExhausted extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'BudgetExhausted';
  }
}

const LOCK_TTL_MS = 2_000;
/** Waits up to this long in-process for the budget; longer waits hand the job back to the queue. */
const MAX_IN_PROCESS_WAIT_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One rate budget per remote tenant (connector + tenant id), shared by every worker process: the
 * state (core's rate-budget model) is JSON in Redis, changed under a short Redis lock by core's
 * pure transitions (tryTake, releaseSlot, backOff).
 */
@Injectable()
export class RateBudgetService {
  private readonly prefix: string;
  private readonly timeScale: number;

  constructor(
    private readonly queue: TransactionQueue,
    private readonly locks: RedisStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.prefix = `${config.queuePrefix}:ll:budget`;
    this.timeScale = config.providerTimeScale;
  }

  /**
   * Takes a request from the tenant's budget and, for a call to the provider's batch endpoint, one
   * from its batch budget too (Limits.batchRequestsPerWindow); returns the release of both.
   */
  async takeBatch(tenantKey: string, limits: Limits, slotId: string): Promise<() => Promise<void>> {
    if (limits.batchRequestsPerWindow === undefined) return this.take(tenantKey, limits, slotId);
    const batchLimits: Limits = { ...limits, requestsPerWindow: limits.batchRequestsPerWindow };
    const releaseBatch = await this.take(`${tenantKey}:batch`, batchLimits, slotId);
    try {
      const release = await this.take(tenantKey, limits, slotId);
      return async () => {
        await release();
        await releaseBatch();
      };
    } catch (error) {
      await releaseBatch();
      throw error;
    }
  }

  /** The limits in real time: windows shortened by the provider time scale (1 in production). */
  private scaled(limits: Limits): Limits {
    return this.timeScale === 1 ? limits : { ...limits, windowSeconds: limits.windowSeconds / this.timeScale };
  }

  /**
   * Takes one request (and a concurrency slot) from the tenant's budget, waiting while it is out;
   * returns the slot's release. Throws BudgetExhausted when the wait would be long (daily cap, a
   * long Retry-After).
   */
  async take(tenantKey: string, limits: Limits, slotId: string): Promise<() => Promise<void>> {
    for (;;) {
      const outcome = await this.update(tenantKey, limits, (state, now) => {
        const taken = tryTake(state, now, 1, { slot: { id: slotId, ttlMs: 120_000 } });
        return { state: taken.state, result: taken.ok ? 0 : taken.waitMs };
      });
      if (outcome === 0) return () => this.update(tenantKey, limits, (state) => ({ state: releaseSlot(state, slotId), result: undefined }));
      if (outcome > MAX_IN_PROCESS_WAIT_MS) throw new BudgetExhausted(`The provider's request budget is spent for ${Math.ceil(outcome / 1000)} s`, Math.ceil(outcome / 1000));
      await sleep(Math.max(5, Math.min(outcome, 1_000)));
    }
  }

  /** The provider answered 429: nobody sends to this tenant before `retryAfterMs` passes. */
  async backOff(tenantKey: string, limits: Limits, retryAfterMs: number): Promise<void> {
    await this.update(tenantKey, limits, (state, now) => ({ state: backOff(state, now, retryAfterMs / this.timeScale), result: undefined }));
  }

  private async update<T>(tenantKey: string, providerLimits: Limits, change: (state: BudgetState, now: number) => { state: BudgetState; result: T }): Promise<T> {
    const limits = this.scaled(providerLimits);
    const key = `${this.prefix}:${tenantKey}`;
    for (let tries = 0; ; tries++) {
      const lock = await this.locks.tryLock(`budget-lock:${tenantKey}`, LOCK_TTL_MS);
      if (!lock) {
        if (tries > 500) throw new Error(`could not lock the rate budget of ${tenantKey}`);
        await sleep(5 + Math.floor(Math.random() * 10));
        continue;
      }
      try {
        const redis = this.queue.redis();
        const now = Date.now();
        const stored = await redis.get(key);
        const parsed = stored ? (JSON.parse(stored) as BudgetState) : null;
        const current = parsed && sameLimits(parsed, limits) ? parsed : createBudget(limits, now);
        const { state, result } = change(current, now);
        await redis.set(key, JSON.stringify(state), 'PX', 2 * 86_400_000);
        return result;
      } finally {
        await lock.release();
      }
    }
  }
}

function sameLimits(state: BudgetState, limits: Limits): boolean {
  return state.config.requestsPerWindow === limits.requestsPerWindow && state.config.concurrency === limits.concurrency && state.config.windowMs === Math.max(1, Math.round(limits.windowSeconds * 1000));
}
