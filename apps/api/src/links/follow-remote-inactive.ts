import type { ContactKind } from '@ledgerlink/connector-sdk';
import { type InactiveReason, transitionLink } from '@ledgerlink/core';
import type { LinksRepository } from './links.repository.js';

export interface RemoteInactive {
  readonly workspaceId: string;
  readonly connectionId: string;
  readonly kind: ContactKind;
  /** The provider's display name, for the reason a person reads ("QuickBooks Online"). */
  readonly provider: string;
  readonly remoteId: string;
  /** The remote contact's name when known (else the link's stored name, else its id). */
  readonly displayName?: string | undefined;
  readonly reason: InactiveReason;
  /** Where a merged contact went, when the provider says. */
  readonly survivorId?: string | undefined;
}

/**
 * Changes the links that point at a remote contact that is no longer active there, through core's
 * transitionLink: a merge with a known survivor re-points them to it, anything else invalidates them
 * with a reason that says what to do; each change is recorded as a system LinkEvent. Used by the
 * pull (a read found it) and by inbound webhooks (the provider announced it). Returns how many
 * links changed.
 */
export async function followRemoteInactive(links: LinksRepository, input: RemoteInactive): Promise<number> {
  const { workspaceId, connectionId, remoteId, reason, survivorId } = input;
  let changed = 0;
  for (const link of await links.linkedTo(workspaceId, connectionId, remoteId)) {
    const result = transitionLink(
      { state: 'linked', remoteId: link.remoteId, reason: link.reason, idempotencyKey: link.idempotencyKey },
      { type: 'remote_inactive', reason, remoteId, ...(survivorId ? { survivorId } : {}) },
    );
    if (!result.ok) continue;
    const { next, change } = result;
    const survivor = next.state === 'linked' && next.remoteId ? await links.findMirror(workspaceId, connectionId, next.remoteId) : null;
    const text =
      next.state === 'linked'
        ? (change.reason ?? `merged into ${next.remoteId ?? ''}`)
        : `The linked ${input.provider} ${input.kind} '${input.displayName ?? link.remoteName ?? remoteId}' (Id ${remoteId}) was ${reason} there: link this contact to another one, or upload it again to create it anew.`;
    await links.write(
      { workspaceId, connectionId, contactId: link.contactId },
      {
        next: { ...next, reason: next.state === 'linked' ? null : text },
        change: { ...change, reason: text },
        remoteName: next.state === 'linked' ? (survivor?.displayName ?? null) : link.remoteName,
        remoteVersion: next.state === 'linked' ? (survivor?.version ?? null) : null,
        survivorId: survivorId ?? null,
      },
      { actorType: 'system', actorId: null },
    );
    changed += 1;
  }
  return changed;
}
