/**
 * The life of a link between a local contact and a remote one, per connection.
 *
 *   (none)/unlinked ──upload_started──▶ pending ──linked──▶ linked
 *         ▲                               │                   │  ▲
 *         │◀───────upload_failed──────────┘                   │  │ linked (relink)
 *         │◀──────────────unlink────────────── linked/invalid ◀┘  │
 *                          remote_inactive: merged with survivor → linked (re-pointed)
 *                                           anything else        → invalid(reason)
 *
 * Illegal transitions are errors, never silent no-ops.
 */

export type LinkState = 'unlinked' | 'pending' | 'linked' | 'invalid';
export type InactiveReason = 'merged' | 'inactive' | 'archived' | 'deleted';
export type LinkMethod = 'upload' | 'manual' | 'auto' | 'suggestion';

export interface LinkSnapshot {
  readonly state: LinkState;
  readonly remoteId: string | null;
  readonly reason: string | null;
  readonly idempotencyKey: string | null;
}

export type LinkCommand =
  | { readonly type: 'upload_started'; readonly idempotencyKey: string }
  | { readonly type: 'linked'; readonly remoteId: string; readonly method: LinkMethod }
  | { readonly type: 'upload_failed'; readonly reason: string; readonly outcomeUncertain: boolean }
  | { readonly type: 'unlink'; readonly reason: string }
  | { readonly type: 'remote_inactive'; readonly reason: InactiveReason; readonly remoteId: string; readonly survivorId?: string };

/** What happened, for the audit trail (LinkEvent). */
export interface LinkChange {
  readonly type: 'upload_started' | 'linked' | 'relinked' | 'upload_failed' | 'unlinked' | 'invalidated' | 'repointed';
  readonly fromRemoteId: string | null;
  readonly toRemoteId: string | null;
  readonly reason: string | null;
}

export type LinkTransition =
  | { readonly ok: true; readonly next: LinkSnapshot; readonly change: LinkChange }
  | { readonly ok: false; readonly error: string };

export const NO_LINK: LinkSnapshot = { state: 'unlinked', remoteId: null, reason: null, idempotencyKey: null };

const INACTIVE_TEXT: Record<InactiveReason, string> = {
  merged: 'merged into another contact in the remote system',
  inactive: 'made inactive in the remote system',
  archived: 'archived in the remote system',
  deleted: 'deleted in the remote system',
};

function refuse(from: LinkSnapshot, command: LinkCommand): LinkTransition {
  return { ok: false, error: `A link that is ${from.state} cannot take "${command.type}"` };
}

export function transitionLink(current: LinkSnapshot | null, command: LinkCommand): LinkTransition {
  const from = current ?? NO_LINK;
  switch (command.type) {
    case 'upload_started': {
      if (from.state === 'linked') return refuse(from, command);
      // A pending upload keeps its first key so a retry can never create a second remote record.
      const key = from.state === 'pending' && from.idempotencyKey ? from.idempotencyKey : command.idempotencyKey;
      return {
        ok: true,
        next: { state: 'pending', remoteId: null, reason: null, idempotencyKey: key },
        change: { type: 'upload_started', fromRemoteId: from.remoteId, toRemoteId: null, reason: null },
      };
    }
    case 'linked': {
      if (command.remoteId.length === 0) return { ok: false, error: 'A link needs a remote id' };
      if (from.state === 'linked' && from.remoteId === command.remoteId) return refuse(from, command);
      const relink = from.state === 'linked' || from.state === 'invalid';
      return {
        ok: true,
        next: { state: 'linked', remoteId: command.remoteId, reason: null, idempotencyKey: null },
        change: { type: relink ? 'relinked' : 'linked', fromRemoteId: from.remoteId, toRemoteId: command.remoteId, reason: null },
      };
    }
    case 'upload_failed': {
      if (from.state !== 'pending') return refuse(from, command);
      // When the provider may have written the record, keep the key: the retry replays it.
      return {
        ok: true,
        next: command.outcomeUncertain ? { ...from, reason: command.reason } : { state: 'unlinked', remoteId: null, reason: command.reason, idempotencyKey: null },
        change: { type: 'upload_failed', fromRemoteId: null, toRemoteId: null, reason: command.reason },
      };
    }
    case 'unlink': {
      if (from.state === 'unlinked') return refuse(from, command);
      return {
        ok: true,
        next: { state: 'unlinked', remoteId: null, reason: command.reason, idempotencyKey: null },
        change: { type: 'unlinked', fromRemoteId: from.remoteId, toRemoteId: null, reason: command.reason },
      };
    }
    case 'remote_inactive': {
      // Only the remote record the link points at can invalidate it; others are stale news.
      if (from.state !== 'linked' || from.remoteId !== command.remoteId) return refuse(from, command);
      if (command.reason === 'merged' && command.survivorId && command.survivorId !== from.remoteId) {
        return {
          ok: true,
          next: { state: 'linked', remoteId: command.survivorId, reason: null, idempotencyKey: null },
          change: { type: 'repointed', fromRemoteId: from.remoteId, toRemoteId: command.survivorId, reason: `The remote contact ${from.remoteId} was merged into ${command.survivorId}; the link now follows the survivor` },
        };
      }
      const reason = `The remote contact was ${INACTIVE_TEXT[command.reason]}${command.reason === 'merged' ? ' that is not known here' : ''}: link this contact to another one or upload it again`;
      return {
        ok: true,
        next: { state: 'invalid', remoteId: from.remoteId, reason, idempotencyKey: null },
        change: { type: 'invalidated', fromRemoteId: from.remoteId, toRemoteId: from.remoteId, reason },
      };
    }
  }
}
