import { type LinkSnapshot, transitionLink } from '@ledgerlink/core';
import type { Prisma } from '../generated/prisma/client.js';
import { type Actor, type LinkKey, LinksRepository } from './links.repository.js';

export interface MatchLink {
  readonly remoteId: string;
  readonly remoteName: string | null;
  readonly remoteVersion: string | null;
  readonly method: 'auto' | 'suggestion';
  readonly score: number | null;
  /** Kept in the LinkEvent and AuditLog: why the link was made. */
  readonly reason: string;
}

/** A link the matching flow could not make, with a reason a person understands. */
export class MatchLinkRefused extends Error {}

/**
 * Links a contact to a mirrored remote contact proposed by matching (automatically or by an
 * accepted suggestion): the change is decided by core's transitionLink and written with its
 * LinkEvent and AuditLog in one transaction, under the lock on the remote record, so a remote
 * contact linked meanwhile to another contact is refused. `inside` runs in the same transaction.
 */
export async function linkFromMatch(
  links: LinksRepository,
  key: LinkKey,
  link: MatchLink,
  actor: Actor,
  inside?: (tx: Prisma.TransactionClient) => Promise<void>,
): Promise<void> {
  const current = await links.findLink(key);
  if (current?.state === 'linked' || current?.state === 'pending') {
    throw new MatchLinkRefused(current.state === 'pending' ? 'an upload of this contact is in progress' : `the contact is already linked (to Id ${current.remoteId ?? '?'})`);
  }
  const snapshot: LinkSnapshot | null = current
    ? { state: current.state === 'invalid' ? 'invalid' : 'unlinked', remoteId: current.remoteId, reason: current.reason, idempotencyKey: current.idempotencyKey }
    : null;
  const result = transitionLink(snapshot, { type: 'linked', remoteId: link.remoteId, method: link.method });
  if (!result.ok) throw new MatchLinkRefused(result.error);
  await links.write(
    key,
    { next: result.next, change: { ...result.change, reason: link.reason }, remoteName: link.remoteName, remoteVersion: link.remoteVersion, linkedBy: link.method, score: link.score },
    actor,
    async (tx) => {
      const holder = await LinksRepository.otherHolder(tx, key, link.remoteId);
      if (holder) throw new MatchLinkRefused(`the remote contact (Id ${link.remoteId}) was linked to '${holder.displayName}' meanwhile`);
      if (inside) await inside(tx);
    },
  );
}
