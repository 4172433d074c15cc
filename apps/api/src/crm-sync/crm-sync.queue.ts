import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QUEUES } from '../queue/queues.js';

export const CRM_JOBS = {
  /** The repeatable tick: incremental read of every connection taking part in a CRM sync. */
  poll: 'crm-poll',
  /** Write the canonical values a connection takes to its linked remote contact. */
  write: 'crm-write',
} as const;

export interface CrmWritePayload {
  readonly workspaceId: string;
  readonly contactId: string;
  /** The connection to write to. */
  readonly connectionId: string;
}

const POLL_ENV = 'LEDGERLINK_CRM_POLL_MS';
const DEFAULT_POLL_MS = 10_000;

/**
 * The change-feed poll interval in milliseconds: LEDGERLINK_CRM_POLL_MS from the process
 * environment (250 to 3,600,000), else 10 s.
 */
export function crmPollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[POLL_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_POLL_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 250 || value > 3_600_000) {
    throw new Error(`${POLL_ENV}="${raw}" is not a whole number of milliseconds between 250 and 3600000: set e.g. ${POLL_ENV}=10000 or leave it unset (10 s)`);
  }
  return value;
}

/** The crm-sync queue: writes carry ids only (the job reads what to send from the database). */
@Injectable()
export class CrmSyncQueue {
  constructor(@InjectQueue(QUEUES.crmSync) private readonly queue: Queue) {}

  /**
   * `contentKey` (contact version and content hash) makes a repeated decision for the same
   * content a no-op while the write is still waiting or running; finished jobs are removed, so
   * the same values can be sent again later (e.g. to undo an edit the policy refused).
   */
  async addWrite(payload: CrmWritePayload, contentKey: string): Promise<void> {
    await this.queue.add(CRM_JOBS.write, payload, {
      jobId: `crm-write:${payload.connectionId}:${payload.contactId}:${contentKey}`,
      attempts: 6,
      backoff: { type: 'connector' },
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  /** Installs the repeatable poll tick at `everyMs`, replacing a tick with another interval. */
  async schedulePoll(everyMs: number): Promise<void> {
    for (const job of await this.queue.getRepeatableJobs()) {
      if (job.name === CRM_JOBS.poll && Number(job.every) !== everyMs) await this.queue.removeRepeatableByKey(job.key);
    }
    await this.queue.add(CRM_JOBS.poll, {}, { repeat: { every: everyMs }, jobId: CRM_JOBS.poll, removeOnComplete: true, removeOnFail: 100, attempts: 1 });
  }

  /**
   * Stops the CRM sync in every worker (operations: maintenance, or holding changes back): new
   * ticks and writes wait; resolves once the jobs already running have finished.
   */
  async pause(): Promise<void> {
    await this.queue.pause();
    for (let waited = 0; (await this.queue.getActiveCount()) > 0 && waited < 60_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  async resume(): Promise<void> {
    await this.queue.resume();
  }

  /** Deletes every job of the queue under this prefix, the repeatable tick included (tests and tooling). */
  async removeAllJobs(): Promise<void> {
    for (const job of await this.queue.getRepeatableJobs()) await this.queue.removeRepeatableByKey(job.key);
    await this.queue.obliterate({ force: true });
  }
}
