import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import type { LinkState } from '../link-state.js';
import type { FieldMapping, MappedPayload, MappingProblem } from '../mapping/field-mapping.js';
import { applyMapping } from '../mapping/apply-mapping.js';
import { stableHash } from './stable-hash.js';

export interface PlanContactPushInput {
  readonly contact: Contact;
  /** The mapping version in force now (see selectMappingVersion). */
  readonly mapping: FieldMapping;
  readonly catalog: readonly FieldSpec[];
  /** The contact's link on this connection; null when there is none. */
  readonly link: { readonly state: LinkState; readonly remoteId: string | null; readonly reason: string | null } | null;
  /** Hash of the payload last written to the remote record (ContactLink.lastPushedHash). */
  readonly lastPushedHash: string | null;
  readonly lastPushedMappingVersion: number | null;
  /** When the contact last changed here (ISO). */
  readonly contactChangedAt: string;
  /** When we last wrote the remote record (ISO); null when never. */
  readonly lastPushedAt: string | null;
  /** When the link was made (ISO): the baseline for a record linked to an existing remote one and never pushed. */
  readonly linkedAt?: string | null;
  /** Shown in reasons, e.g. "QuickBooks". */
  readonly providerName?: string;
}

export type ContactPushAction = 'create' | 'update' | 'skip' | 'blocked';

export interface ContactPushPlan {
  readonly action: ContactPushAction;
  /** Why, in words a person can act on. */
  readonly reason: string;
  readonly payload: MappedPayload;
  /** stableHash of the payload: store it as lastPushedHash once the write succeeds. */
  readonly payloadHash: string;
  readonly problems: readonly MappingProblem[];
}

const time = (iso: string, field: string): number => {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new RangeError(`${field}: "${iso}" is not an ISO 8601 timestamp`);
  return t;
};

/**
 * Decides what pushing a contact to one connection means now:
 * - blocked: the link is invalid, or the mapped payload has problems (each names the field and the fix)
 * - skip: an upload is in flight; or the mapped payload's hash equals the last pushed hash; or the
 *   contact has not changed since the last push (or since it was linked): a mapping change alone
 *   never updates a remote record (no retroactive overwrite)
 * - create: no link yet; update: linked and the contact changed since the last push
 */
export function planContactPush(input: PlanContactPushInput): ContactPushPlan {
  const provider = input.providerName ?? 'the remote system';
  const changedAt = time(input.contactChangedAt, 'contactChangedAt');
  const { payload, problems } = applyMapping(input.contact, input.mapping, input.catalog);
  const payloadHash = stableHash(payload);
  const plan = (action: ContactPushAction, reason: string): ContactPushPlan => ({ action, reason, payload, payloadHash, problems });
  const link = input.link;

  if (link?.state === 'pending') return plan('skip', 'An upload of this contact is in flight; it finishes (or fails) before anything else is sent');
  if (link?.state === 'invalid') return plan('blocked', `Link invalid: ${link.reason ?? 'the remote contact is no longer usable'}`);
  const first = problems[0];
  if (first) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return plan('blocked', `${first.message}: ${first.fix}${more}`);
  }
  if (!link || link.state === 'unlinked' || !link.remoteId) return plan('create', `Not in ${provider} yet: create it`);

  if (input.lastPushedHash === payloadHash) return plan('skip', `Nothing to do: ${provider} already has these values`);
  const baselineIso = input.lastPushedAt ?? input.linkedAt ?? null;
  const baseline = baselineIso === null ? null : time(baselineIso, input.lastPushedAt ? 'lastPushedAt' : 'linkedAt');
  if (baseline === null || changedAt <= baseline) {
    const mappingChanged = input.lastPushedMappingVersion !== null && input.lastPushedMappingVersion !== input.mapping.version;
    if (mappingChanged) {
      return plan('skip', `Only the field mapping changed (version ${input.lastPushedMappingVersion} → ${input.mapping.version}); the ${provider} record is updated when the contact next changes, never retroactively`);
    }
    return plan('skip', input.lastPushedAt
      ? `The contact has not changed since it was last sent to ${provider}`
      : `Linked to an existing ${provider} record and not changed since; that record is not overwritten`);
  }
  return plan('update', `Changed since it was last sent to ${provider}: update it`);
}
