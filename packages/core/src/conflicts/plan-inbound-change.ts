import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, MappingProblem } from '../mapping/field-mapping.js';
import { mapInbound } from '../mapping/map-inbound.js';
import { readCanonicalField } from '../mapping/read-canonical-field.js';
import { writeCanonicalField } from '../mapping/write-canonical-field.js';
import { stableHash } from '../planning/stable-hash.js';
import { resolveFieldConflicts, type ConflictPolicy, type ConflictSide, type FieldDecision } from './resolve-field-conflicts.js';

export interface PlanInboundChangeInput {
  /** The contact as the hub holds it now. */
  readonly contact: Contact;
  /** The remote record, remote field id → value (a webhook's fetched record or a poll result). */
  readonly remote: Readonly<Record<string, string | null>>;
  readonly mapping: FieldMapping;
  readonly catalog: readonly FieldSpec[];
  /** Canonical path → value both sides agreed on at the last sync; null before the first sync. */
  readonly base: Readonly<Record<string, string | null>> | null;
  /** Hash of the payload we last wrote to this remote record (planContactPush's payloadHash). */
  readonly lastPushedHash: string | null;
  /** When the hub's contact and the remote record last changed (ISO); null when unknown. */
  readonly hubChangedAt: string | null;
  readonly remoteChangedAt: string | null;
  /** The hub's side (system 'hub', or the system whose value the hub relays) and the remote's. */
  readonly ours: ConflictSide;
  readonly theirs: ConflictSide;
  readonly policy: ConflictPolicy;
}

export interface InboundPlan {
  /** True when the remote record only shows our own last write coming back: nothing to do. */
  readonly echo: boolean;
  readonly reason: string;
  /** One per canonical field read in, named by its canonical path. */
  readonly decisions: readonly FieldDecision[];
  /** The contact with every field the remote side won applied. */
  readonly contact: Contact;
  /** Canonical paths where the hub won and the remote record must be written back (rules with direction both). */
  readonly pushBack: readonly string[];
  /** The new base: each decided field's agreed value (for a field to write back, the remote's value until the write lands). */
  readonly nextBase: Readonly<Record<string, string | null>>;
  readonly problems: readonly MappingProblem[];
}

/**
 * What a remote change means for the hub's contact: an echo of our own write is recognised by
 * the payload hash (and unchanged in-only fields) and ignored; otherwise every inbound field (direction in or both) is resolved
 * three-way by resolveFieldConflicts (a field with direction in is owned by the remote system),
 * the remote's winning values are applied to the contact, and the fields where the hub won are
 * listed for a write back.
 */
export function planInboundChange(input: PlanInboundChangeInput): InboundPlan {
  const outTargets = input.mapping.rules.filter((r) => r.enabled && r.direction !== 'in').map((r) => r.target);
  const echoPayload: Record<string, string> = {};
  for (const target of outTargets) {
    const value = input.remote[target];
    if (value !== undefined && value !== null && value !== '') echoPayload[target] = value;
  }
  const base = input.base ?? {};
  // Fields only read in are not part of what we pushed: an echo must leave them as they were.
  const inOnlyUnchanged = input.mapping.rules
    .filter((r) => r.enabled && r.direction === 'in' && Object.hasOwn(input.remote, r.target))
    .every((r) => input.base !== null && Object.hasOwn(input.base, r.source) && (input.remote[r.target] || null) === (input.base[r.source] ?? null));
  if (input.lastPushedHash !== null && inOnlyUnchanged && stableHash(echoPayload) === input.lastPushedHash) {
    return { echo: true, reason: `${input.theirs.name} shows our own last write coming back: nothing to do`, decisions: [], contact: input.contact, pushBack: [], nextBase: base, problems: [] };
  }
  const { values, problems } = mapInbound(input.remote, input.mapping, input.catalog);
  // A field only read in is never sent from here: the remote system is its owner.
  const inOnly = input.mapping.rules.filter((r) => r.enabled && r.direction === 'in').map((r) => [r.source, input.theirs.system] as const);
  const decisions = resolveFieldConflicts({
    ours: input.ours,
    theirs: input.theirs,
    policy: { ...input.policy, owners: { ...input.policy.owners, ...Object.fromEntries(inOnly) } },
    fields: Object.entries(values).map(([field, theirs]) => ({
      field,
      ...(input.base && Object.hasOwn(input.base, field) ? { base: input.base[field] ?? null } : {}),
      ours: { value: readCanonicalField(input.contact, field) || null, changedAt: input.hubChangedAt },
      theirs: { value: theirs, changedAt: input.remoteChangedAt },
    })),
  });
  let contact = input.contact;
  const nextBase: Record<string, string | null> = { ...base };
  const both = new Set(input.mapping.rules.filter((r) => r.enabled && r.direction === 'both').map((r) => r.source));
  const pushBack: string[] = [];
  for (const decision of decisions) {
    if (decision.writeOurs) contact = writeCanonicalField(contact, decision.field, decision.value);
    if (decision.writeTheirs && both.has(decision.field)) {
      pushBack.push(decision.field);
      // Until the write back lands, the remote still holds its value: that stays the base, so the
      // hub's value remains the pending change (set the base to it once the write succeeds).
      nextBase[decision.field] = values[decision.field] ?? null;
    } else {
      nextBase[decision.field] = decision.value;
    }
  }
  const taken = decisions.filter((d) => d.writeOurs).length;
  const reason = decisions.every((d) => d.winner === 'none')
    ? `${input.theirs.name} holds the same values as the hub: nothing to do`
    : `${taken} field(s) taken from ${input.theirs.name}, ${pushBack.length} to write back`;
  return { echo: false, reason, decisions, contact, pushBack, nextBase, problems };
}
