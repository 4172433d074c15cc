import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';

export const PULL_RUN_KIND = 'contact_pull';

export interface PullRunRow {
  readonly id: string;
  readonly connectionId: string;
  readonly state: string;
  readonly results: unknown;
}

export interface PullSummary {
  readonly fetched: number;
  readonly linksChanged: number;
  readonly error: string | null;
}

export interface PullConnection {
  readonly id: string;
  readonly displayName: string;
  readonly status: string;
  readonly enabled: boolean;
  readonly settings: unknown;
}

const RUN_SELECT = { id: true, connectionId: true, state: true, results: true } as const;

/** Pull runs (SyncRun kind contact_pull) and the per-connection, per-kind checkpoints in Connection.settings.pull. */
@Injectable()
export class PullRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findConnection(workspaceId: string, connectionId: string): Promise<PullConnection | null> {
    return this.prisma.connection.findFirst({ where: { workspaceId, id: connectionId }, select: { id: true, displayName: true, status: true, enabled: true, settings: true } });
  }

  createRun(workspaceId: string, connectionId: string, trigger: 'manual' | 'api' | 'connect'): Promise<PullRunRow> {
    return this.prisma.syncRun.create({
      data: { workspaceId, connectionId, kind: PULL_RUN_KIND, trigger, state: 'queued', results: { fetched: 0, linksChanged: 0, error: null } },
      select: RUN_SELECT,
    });
  }

  findRun(workspaceId: string, runId: string, connectionId?: string): Promise<PullRunRow | null> {
    return this.prisma.syncRun.findFirst({ where: { id: runId, workspaceId, kind: PULL_RUN_KIND, ...(connectionId ? { connectionId } : {}) }, select: RUN_SELECT });
  }

  async markRunning(workspaceId: string, runId: string): Promise<void> {
    await this.prisma.syncRun.updateMany({ where: { id: runId, workspaceId, startedAt: null }, data: { startedAt: new Date() } });
    await this.prisma.syncRun.updateMany({ where: { id: runId, workspaceId }, data: { state: 'running' } });
  }

  async save(workspaceId: string, runId: string, summary: PullSummary, finish?: 'completed' | 'failed'): Promise<void> {
    await this.prisma.syncRun.updateMany({
      where: { id: runId, workspaceId },
      data: {
        results: { ...summary },
        total: summary.fetched,
        succeeded: summary.fetched,
        ...(finish ? { state: finish, finishedAt: new Date() } : {}),
      },
    });
  }

  async checkpoint(workspaceId: string, connectionId: string, kind: string): Promise<string | undefined> {
    const row = await this.findConnection(workspaceId, connectionId);
    const value = pullSettings(row?.settings)[kind]?.checkpoint;
    return typeof value === 'string' ? value : undefined;
  }

  /** Stores the checkpoint after each page, so a retried or later pull continues from there. */
  async saveCheckpoint(workspaceId: string, connectionId: string, kind: string, checkpoint: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`settings:${connectionId}`}))`;
      const row = await tx.connection.findFirst({ where: { workspaceId, id: connectionId }, select: { settings: true } });
      if (!row) return;
      const settings = isRecord(row.settings) ? row.settings : {};
      const pull = { ...pullSettings(settings), [kind]: { checkpoint, at: new Date().toISOString() } };
      await tx.connection.updateMany({ where: { workspaceId, id: connectionId }, data: { settings: { ...settings, pull } as Prisma.InputJsonValue } });
    });
  }
}

export function readSummary(results: unknown): PullSummary {
  const value = isRecord(results) ? results : {};
  return {
    fetched: typeof value.fetched === 'number' ? value.fetched : 0,
    linksChanged: typeof value.linksChanged === 'number' ? value.linksChanged : 0,
    error: typeof value.error === 'string' ? value.error : null,
  };
}

function pullSettings(settings: unknown): Record<string, { checkpoint?: unknown }> {
  const pull = isRecord(settings) ? settings.pull : undefined;
  return isRecord(pull) ? (pull as Record<string, { checkpoint?: unknown }>) : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
