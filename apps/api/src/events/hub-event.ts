import type { HubEventType } from '@ledgerlink/contract';
import type { Prisma } from '../generated/prisma/client.js';

/**
 * The row of one hub event, to be written in the same database transaction as the change it
 * reports (an outbox): an event is never published for a change that rolled back, nor lost for
 * one that committed. The feed (`GET /api/v1/events`) and the webhook dispatcher read these rows.
 */
export function hubEvent(workspaceId: string, type: HubEventType, data: Record<string, unknown>): Prisma.HubEventCreateArgs {
  return { data: { workspaceId, type, payload: data as Prisma.InputJsonObject } };
}

/** The event for a LinkEvent row (link.linked, link.invalidated, ...). */
export function linkHubEvent(
  key: { readonly workspaceId: string; readonly connectionId: string; readonly contactId: string },
  event: { readonly type: string; readonly actorType: string; readonly reason?: string | null; readonly fromRemoteId?: string | null; readonly toRemoteId?: string | null },
): Prisma.HubEventCreateArgs {
  return hubEvent(key.workspaceId, `link.${event.type}` as HubEventType, {
    connectionId: key.connectionId,
    contactId: key.contactId,
    fromRemoteId: event.fromRemoteId ?? null,
    toRemoteId: event.toRemoteId ?? null,
    reason: event.reason ?? null,
    actorType: event.actorType,
  });
}
