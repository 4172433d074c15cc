import { Inject, Injectable } from '@nestjs/common';
import type { Health } from '@ledgerlink/contract';
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
  ) {}

  async check(): Promise<Health> {
    const [database, redis] = await Promise.all([timed(() => this.repository.ping()), timed(() => this.queue.ping())]);
    return {
      status: database.ok && redis.ok ? 'ok' : 'degraded',
      version: this.version,
      database: { ...database, kind: this.database.kind },
      redis,
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
