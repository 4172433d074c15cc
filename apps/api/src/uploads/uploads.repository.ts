import { Inject, Injectable } from '@nestjs/common';
import type { RemoteContact } from '@ledgerlink/connector-sdk';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import type { UploadItem } from './uploads.dto.js';
import { linkHubEvent } from '../events/hub-event.js';

export interface RunRow {
  readonly id: string;
  readonly workspaceId: string;
  readonly connectionId: string;
  readonly state: string;
  readonly total: number;
  readonly input: unknown;
  readonly results: unknown;
}

export interface LinkRecord {
  readonly id: string;
  readonly state: string;
  readonly remoteId: string | null;
  readonly remoteVersion: string | null;
  readonly idempotencyKey: string | null;
  readonly lastPushedHash: string | null;
  readonly linkedBy: string;
}

export interface LinkEventInput {
  readonly type: 'linked' | 'updated' | 'upload_failed' | 'invalidated' | 'repointed';
  readonly actorType: 'user' | 'system' | 'host';
  readonly actorId: string | null;
  readonly reason: string;
  readonly fromRemoteId?: string | null;
  readonly toRemoteId?: string | null;
}

interface LinkKey {
  readonly workspaceId: string;
  readonly connectionId: string;
  readonly contactId: string;
}

const RUN_SELECT = { id: true, workspaceId: true, connectionId: true, state: true, total: true, input: true, results: true } as const;
const LINK_SELECT = { id: true, state: true, remoteId: true, remoteVersion: true, idempotencyKey: true, lastPushedHash: true, linkedBy: true } as const;

/** Upload runs (SyncRun), contact links with their audit events, and the remote-contact mirror. */
@Injectable()
export class UploadsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  createRun(input: { readonly workspaceId: string; readonly connectionId: string; readonly contactIds: readonly string[] }): Promise<RunRow> {
    return this.prisma.syncRun.create({
      data: {
        workspaceId: input.workspaceId,
        connectionId: input.connectionId,
        kind: 'contact_upload',
        trigger: 'manual',
        state: 'queued',
        total: input.contactIds.length,
        input: [...input.contactIds],
        results: [],
      },
      select: RUN_SELECT,
    });
  }

  findRun(workspaceId: string, runId: string, connectionId?: string): Promise<RunRow | null> {
    return this.prisma.syncRun.findFirst({ where: { id: runId, workspaceId, kind: 'contact_upload', ...(connectionId ? { connectionId } : {}) }, select: RUN_SELECT });
  }

  async markRunning(workspaceId: string, runId: string): Promise<void> {
    await this.prisma.syncRun.updateMany({ where: { id: runId, workspaceId, startedAt: null }, data: { startedAt: new Date() } });
    await this.prisma.syncRun.updateMany({ where: { id: runId, workspaceId }, data: { state: 'running' } });
  }

  async saveResults(workspaceId: string, runId: string, results: readonly UploadItem[], finish?: 'completed' | 'failed'): Promise<void> {
    const succeeded = results.filter((r) => r.ok).length;
    await this.prisma.syncRun.updateMany({
      where: { id: runId, workspaceId },
      data: {
        results: results as unknown as Prisma.InputJsonValue,
        succeeded,
        failed: results.length - succeeded,
        ...(finish ? { state: finish, finishedAt: new Date() } : {}),
      },
    });
  }

  findLink(key: LinkKey): Promise<LinkRecord | null> {
    return this.prisma.contactLink.findFirst({
      where: { workspaceId: key.workspaceId, connectionId: key.connectionId, contactId: key.contactId },
      select: LINK_SELECT,
    });
  }

  /**
   * Records the intent to create before the provider is called: a pending link holding the
   * idempotency key, so a retry or a crash replays the same key instead of creating twice.
   */
  async preparePending(key: LinkKey, idempotencyKey: string): Promise<void> {
    await this.prisma.contactLink.upsert({
      where: { connectionId_contactId: { connectionId: key.connectionId, contactId: key.contactId } },
      create: { ...key, state: 'pending', linkedBy: 'upload', idempotencyKey },
      update: { state: 'pending', idempotencyKey, remoteId: null, remoteName: null, remoteVersion: null, reason: null },
    });
  }

  async setIdempotencyKey(key: LinkKey, idempotencyKey: string): Promise<void> {
    await this.prisma.contactLink.updateMany({ where: key, data: { idempotencyKey } });
  }

  /** The contact is linked to `remoteId`; one audit event says who, when and why. */
  async markLinked(
    key: LinkKey,
    link: {
      readonly remoteId: string;
      readonly remoteName: string | null;
      readonly remoteVersion: string | null;
      readonly lastPushedHash: string | null;
      readonly linkedBy: string;
      readonly reason: string;
    },
    event: LinkEventInput,
  ): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.contactLink.upsert({
        where: { connectionId_contactId: { connectionId: key.connectionId, contactId: key.contactId } },
        create: { ...key, ...link, state: 'linked', idempotencyKey: null },
        update: { ...link, state: 'linked', idempotencyKey: null, survivorId: null },
      }),
      this.prisma.linkEvent.create({ data: { ...key, ...event, fromRemoteId: event.fromRemoteId ?? null, toRemoteId: event.toRemoteId ?? link.remoteId } }),
      this.prisma.hubEvent.create(linkHubEvent(key, { ...event, toRemoteId: event.toRemoteId ?? link.remoteId })),
    ]);
  }

  /** A create that definitively failed: the pending link goes, the failure is audited. */
  async dropPending(key: LinkKey, event: LinkEventInput): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.contactLink.deleteMany({ where: { ...key, state: 'pending' } }),
      this.prisma.linkEvent.create({ data: { ...key, ...event, fromRemoteId: null, toRemoteId: null } }),
      this.prisma.hubEvent.create(linkHubEvent(key, { ...event, fromRemoteId: null, toRemoteId: null })),
    ]);
  }

  async invalidate(key: LinkKey, reason: string, event: LinkEventInput, survivorId: string | null = null): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.contactLink.updateMany({ where: key, data: { state: 'invalid', reason, survivorId } }),
      this.prisma.linkEvent.create({ data: { ...key, ...event, fromRemoteId: event.fromRemoteId ?? null, toRemoteId: event.toRemoteId ?? null } }),
      this.prisma.hubEvent.create(linkHubEvent(key, event)),
    ]);
  }

  async setRemoteVersion(key: LinkKey, remoteVersion: string | null): Promise<void> {
    await this.prisma.contactLink.updateMany({ where: key, data: { remoteVersion } });
  }

  async recordEvent(key: LinkKey, event: LinkEventInput): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.linkEvent.create({ data: { ...key, ...event, fromRemoteId: event.fromRemoteId ?? null, toRemoteId: event.toRemoteId ?? null } }),
      this.prisma.hubEvent.create(linkHubEvent(key, event)),
    ]);
  }

  /** Keeps the local mirror of the remote contact (for search and matching without API calls). */
  async mirrorRemote(workspaceId: string, connectionId: string, remote: RemoteContact): Promise<void> {
    const primaryEmail = remote.contact.emails[0]?.address ?? null;
    const fields = {
      kind: remote.contact.kind,
      displayName: remote.contact.displayName ?? '',
      email: primaryEmail?.toLowerCase() ?? null,
      status: remote.status,
      mergedIntoId: remote.mergedIntoId ?? null,
      version: remote.version ?? null,
      data: remote.contact as unknown as Prisma.InputJsonValue,
      remoteUpdatedAt: remote.updatedAt ? new Date(remote.updatedAt) : null,
      syncedAt: new Date(),
    };
    await this.prisma.remoteContact.upsert({
      where: { connectionId_remoteId: { connectionId, remoteId: remote.id } },
      create: { workspaceId, connectionId, remoteId: remote.id, ...fields },
      update: fields,
    });
  }
}
