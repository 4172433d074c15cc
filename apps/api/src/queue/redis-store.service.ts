import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../app/tokens.js';
import { JobQueue } from './job-queue.service.js';

/** INCR, and start the window's expiry on the first hit; returns [count, ms left in the window]. */
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/** Deletes the lock only when this holder still owns it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface WindowCount {
  readonly count: number;
  /** Milliseconds until the window (and the count) ends. */
  readonly resetsInMs: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Counters and locks shared by every API and worker process, in the queues' Redis under the
 * queue prefix (so a test's keys never meet another's).
 */
@Injectable()
export class RedisStore {
  private readonly prefix: string;

  constructor(
    private readonly queue: JobQueue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.prefix = `${config.queuePrefix}:ll`;
  }

  /** Counts one hit in a fixed window of `windowMs` that starts at the first hit. */
  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [count, ttl] = (await this.queue.redis().eval(HIT, 1, this.key(key), String(windowMs))) as [number, number];
    return { count: Number(count), resetsInMs: Number(ttl) };
  }

  /** The current count of a window (0 when none is open). */
  async peek(key: string): Promise<WindowCount> {
    const redis = this.queue.redis();
    const [value, ttl] = await Promise.all([redis.get(this.key(key)), redis.pttl(this.key(key))]);
    return { count: value === null ? 0 : Number(value), resetsInMs: Math.max(0, ttl) };
  }

  async reset(key: string): Promise<void> {
    await this.queue.redis().del(this.key(key));
  }

  /** `SET key token NX PX ttl`: the lock, or null when another holder has it. */
  async tryLock(key: string, ttlMs: number): Promise<HeldLock | null> {
    const token = randomUUID();
    const fullKey = this.key(key);
    const redis = this.queue.redis();
    const ok = await redis.set(fullKey, token, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return null;
    return {
      release: async () => {
        await redis.eval(RELEASE, 1, fullKey, token);
      },
    };
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }
}
