import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QUEUES } from '../queue/queues.js';
import type { Health, Liveness } from '@ledgerlink/contract';
import { APP_VERSION, DATABASE } from '../app/tokens.js';
import type { Database } from '../database/database.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { HealthRepository } from './health.repository.js';

@Injectable()
export class HealthService {
  constructor(
    private readonly repository: HealthRepository,
    private readonly queue: JobQueue,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(APP_VERSION) private readonly version: string,
    private readonly modules: ModuleRef,
  ) {}

  live(): Liveness {
    return { status: 'ok', version: this.version };
  }

  /** Job counts per queue; null when Redis does not answer within a second. */
  private async queueDepths(): Promise<Health['queues'] | null> {
    const read = Promise.all(
      Object.values(QUEUES).map(async (name) => {
        const counts = await this.modules.get<Queue>(getQueueToken(name), { strict: false }).getJobCounts();
        return [name, { waiting: counts.waiting, active: counts.active, delayed: counts.delayed, failed: counts.failed }] as const;
      }),
    );
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000).unref());
    const depths = await Promise.race([read, timeout]).catch(() => null);
    return depths ? Object.fromEntries(depths) : null;
  }

  async check(): Promise<Health> {
    const [database, redis] = await Promise.all([timed(() => this.repository.ping()), timed(() => this.queue.ping())]);
    const queues = redis.ok ? await this.queueDepths() : null;
    return {
      status: database.ok && redis.ok ? 'ok' : 'degraded',
      version: this.version,
      database: { ...database, kind: this.database.kind },
      redis,
      ...(queues ? { queues } : {}),
    };
  }
}

async function timed(check: () => Promise<void>): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  try {
    await check();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}
