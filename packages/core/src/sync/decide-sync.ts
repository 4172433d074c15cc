import type { FieldMapping, MappingDirection } from '../mapping/field-mapping.js';
import type { ConflictPolicy, ConflictRule, FieldOwner } from '../conflicts/resolve-field-conflicts.js';
import { stableHash } from '../planning/stable-hash.js';

/** A field's direction for one connection: the mapping's direction, or `off` when the rule is disabled or absent. */
export type SyncFieldDirection = MappingDirection | 'off';

/** Canonical path ("phones[primary]", "emails[primary]", …) → value; null (or '') is an empty field. */
export type SyncValues = Readonly<Record<string, string | null>>;

/** The id of the hub itself as the source of a change (a person's edit in Ledgerlink). */
export const HUB_SOURCE = 'hub';

/** Who last set a canonical field, and when (ISO). */
export interface FieldProvenance {
  /** A connection id, or "hub". */
  readonly source: string;
  readonly system: FieldOwner;
  readonly changedAt: string | null;
}

/** One connection linked to the contact, as the hub last knew it. */
export interface SyncConnection {
  readonly id: string;
  /** `accounting` (QuickBooks Online, Xero) or `crm` (HubSpot): what `policy.owners` names. */
  readonly system: Exclude<FieldOwner, 'hub'>;
  /** For people: "QuickBooks", "HubSpot". */
  readonly name: string;
  /** Canonical path → direction; a field not listed is `off`. See directionsFromMapping. */
  readonly directions: Readonly<Record<string, SyncFieldDirection>>;
  /** The values both sides agreed at the last sync (confirmed); null before the first sync. */
  readonly base: SyncValues | null;
  /** Values written to it and not yet seen coming back (what it will hold once they land). */
  readonly pending?: SyncValues;
  /** syncContentHash of the last write sent to it; null when nothing was sent yet. */
  readonly lastPushedHash: string | null;
  /**
   * Per field, the last values we wrote to it, most recent last (the engine keeps
   * RECENT_WRITES of them). An older write of ours read back late is recognised by these.
   */
  readonly recentWrites?: Readonly<Record<string, readonly (string | null)[]>>;
}

/** How many written values per field and connection are remembered to recognise late echoes. */
export const RECENT_WRITES = 5;

export interface IncomingChange {
  /** The connection id the change comes from, or "hub". */
  readonly source: string;
  /** The changed canonical fields as that side holds them now. */
  readonly values: SyncValues;
  /** When that side made the change (ISO). */
  readonly changedAt: string;
}

export interface DecideSyncInput {
  readonly change: IncomingChange;
  /** The contact's canonical values (only the synced fields are needed). */
  readonly canonical: SyncValues;
  /** Who set each canonical field and when; a field not listed has an unknown origin and time. */
  readonly provenance?: Readonly<Record<string, FieldProvenance>>;
  /** Every connection linked to the contact. */
  readonly connections: readonly SyncConnection[];
  /**
   * Per-field owner (`accounting`, `crm` or `hub`), else the last writer against the last synced
   * base. `tieBreaker`: `ours` keeps the hub's value, `theirs` takes the incoming one (default ours).
   */
  readonly policy: ConflictPolicy;
}

/**
 * `direction`: the source may not send this field (its direction is out or off);
 * `own_write`: the value is one we wrote to the source earlier, read back late: never a change.
 */
export type SyncRule = ConflictRule | 'direction' | 'own_write';

export interface SyncFieldDecision {
  readonly field: string;
  /** The source whose value the hub holds afterwards: the change's source, or "hub" when the hub's value stayed. */
  readonly winner: string;
  readonly rule: SyncRule;
  /** The canonical value afterwards. */
  readonly value: string | null;
  /** The value that lost, and whose it was; null when nothing was lost. */
  readonly lost: { readonly source: string; readonly value: string | null } | null;
  /** One sentence for the audit log. */
  readonly explanation: string;
}

export interface SyncWrite {
  readonly connectionId: string;
  /** Only fields the connection takes (out or both) whose value differs from what it has or will have. */
  readonly values: SyncValues;
  /** syncContentHash(values): store as the connection's lastPushedHash once sent. */
  readonly hash: string;
}

export interface SyncConnectionState {
  readonly base: SyncValues;
  readonly pending: SyncValues;
  readonly lastPushedHash: string | null;
  readonly recentWrites: Readonly<Record<string, readonly (string | null)[]>>;
}

export interface SyncOutcome {
  /** True when the change is our own write coming back: no writes, nothing decided. */
  readonly echo: boolean;
  readonly reason: string;
  readonly canonical: SyncValues;
  readonly provenance: Readonly<Record<string, FieldProvenance>>;
  readonly writes: readonly SyncWrite[];
  readonly decisions: readonly SyncFieldDecision[];
  /** Per connection id: the new base, pending values and last pushed hash to store. */
  readonly connections: Readonly<Record<string, SyncConnectionState>>;
}

/** The hash a write's values are compared with when they come back (key order does not matter). */
export function syncContentHash(values: SyncValues): string {
  const normalised: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(values)) normalised[field] = norm(value);
  return stableHash(normalised);
}

/** A connection's per-field directions from its field mapping: canonical path → direction (`off` when disabled). */
export function directionsFromMapping(mapping: FieldMapping): Record<string, SyncFieldDirection> {
  const directions: Record<string, SyncFieldDirection> = {};
  for (const rule of mapping.rules) {
    // Two rules may read one canonical field (one remote field each): an enabled one counts.
    if (rule.enabled) directions[rule.source] = mergeDirection(directions[rule.source], rule.direction);
    else directions[rule.source] ??= 'off';
  }
  return directions;
}

function mergeDirection(a: SyncFieldDirection | undefined, b: MappingDirection): SyncFieldDirection {
  if (a === undefined || a === 'off' || a === b) return b;
  return 'both';
}

const norm = (value: string | null | undefined): string | null => (value === undefined || value === '' ? null : value);
const takesIn = (d: SyncFieldDirection | undefined): boolean => d === 'in' || d === 'both';
const takesOut = (d: SyncFieldDirection | undefined): boolean => d === 'out' || d === 'both';
const show = (value: string | null): string => (value === null ? 'an empty value' : `'${value.length > 24 ? `${value.slice(0, 24)}…` : value}'`);

function stamp(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

function has(values: SyncValues | null | undefined, field: string): boolean {
  return values !== null && values !== undefined && Object.hasOwn(values, field);
}

/**
 * The bidirectional sync decision for one contact: a change arrives from one side (a connection
 * or the hub), and this decides, field by field, the new canonical value, what to write to every
 * other connection, and why.
 *
 * - Echo: a change whose content hash equals the last write we sent to that connection is our own
 *   write coming back; it only confirms the base. A field equal to the canonical value is `same`;
 *   a field equal to one of the last values we wrote to that connection is `own_write` (an older
 *   write of ours read back late) and never a change, so late echoes cannot ping-pong.
 * - Direction: a field the source does not send in (out or off for it) is ignored, and its value
 *   is kept in a decision; a write carries only fields its target takes out (out or both).
 * - Policy, per field, when the incoming value differs from the canonical one:
 *   1. owner: when the policy names an owner system, a change from the owner wins over a value
 *      set by another system, and a change from another system loses to a value the owner set;
 *   2. only_one_changed: the hub holds what the source last agreed (its base) and nothing is in
 *      flight to it, so only the source changed: it wins;
 *   3. newer: both changed; the later change time wins;
 *   4. tie: equal or unknown times go to `policy.tieBreaker` (`ours` = the hub's value).
 * - Writes: a winning incoming value goes to every other connection that takes it out and does not
 *   hold it already; when it crossed a write of ours still in flight to the source, it is sent back
 *   to the source too (so our stale write does not overwrite it). A hub value that wins is sent
 *   back to the source when the source takes the field out.
 *
 * Writes are recorded as `pending` for their target until their content comes back; the base
 * (the confirmed agreement) moves only when a connection reports a value. Pure and deterministic.
 */
export function decideSync(input: DecideSyncInput): SyncOutcome {
  const { change, policy } = input;
  const isHub = change.source === HUB_SOURCE;
  const source = isHub ? undefined : input.connections.find((c) => c.id === change.source);
  if (!isHub && source === undefined) {
    throw new RangeError(`change.source "${change.source}" is not linked to this contact: use one of ${input.connections.map((c) => `"${c.id}"`).join(', ') || 'no connection'} or "${HUB_SOURCE}"`);
  }
  const seen = new Set<string>();
  for (const c of input.connections) {
    if (c.id === HUB_SOURCE) throw new RangeError(`connections: "${HUB_SOURCE}" is reserved for the hub itself: give the connection another id`);
    if (seen.has(c.id)) throw new RangeError(`connections: id "${c.id}" appears twice: each linked connection once`);
    seen.add(c.id);
  }
  if (stamp(change.changedAt) === null) throw new RangeError(`change.changedAt "${change.changedAt}" is not an ISO date: pass when the source made the change`);

  interface State { base: Record<string, string | null>; pending: Record<string, string | null>; lastPushedHash: string | null; recentWrites: Record<string, readonly (string | null)[]> }
  const states = new Map<string, State>();
  for (const c of input.connections) {
    states.set(c.id, { base: { ...(c.base ?? {}) }, pending: { ...(c.pending ?? {}) }, lastPushedHash: c.lastPushedHash, recentWrites: { ...(c.recentWrites ?? {}) } });
  }
  const snapshot = (): Record<string, SyncConnectionState> => Object.fromEntries([...states].map(([id, s]) => [id, { base: s.base, pending: s.pending, lastPushedHash: s.lastPushedHash, recentWrites: s.recentWrites }]));
  const sourceName = source?.name ?? 'Ledgerlink';
  const sourceSystem: FieldOwner = source?.system ?? 'hub';
  const incoming = Object.entries(change.values).map(([field, value]) => [field, norm(value)] as const);

  // Echo: the very content we last sent to this connection. It confirms what it holds now.
  if (source && source.lastPushedHash !== null && incoming.length > 0 && syncContentHash(change.values) === source.lastPushedHash) {
    const state = states.get(source.id);
    if (state) {
      for (const [field, value] of incoming) {
        state.base[field] = value;
        if (has(state.pending, field) && norm(state.pending[field]) === value) delete state.pending[field];
      }
    }
    return {
      echo: true, reason: `${sourceName} shows our own last write coming back: nothing to do`,
      canonical: input.canonical, provenance: input.provenance ?? {}, writes: [], decisions: [], connections: snapshot(),
    };
  }

  const canonical: Record<string, string | null> = { ...input.canonical };
  const provenance: Record<string, FieldProvenance> = { ...(input.provenance ?? {}) };
  const decisions: SyncFieldDecision[] = [];
  const toWrite = new Map<string, Record<string, string | null>>();
  const queue = (id: string, field: string, value: string | null) => {
    const w = toWrite.get(id) ?? {};
    w[field] = value;
    toWrite.set(id, w);
  };
  const sourceState = source ? states.get(source.id) : undefined;
  const incomingAt = stamp(change.changedAt);

  for (const [field, value] of incoming) {
    const current = norm(canonical[field]);
    const prov = provenance[field];
    if (source && !takesIn(source.directions[field])) {
      const d = source.directions[field] ?? 'off';
      decisions.push({
        field, winner: HUB_SOURCE, rule: 'direction', value: current,
        lost: value === current ? null : { source: change.source, value },
        explanation: `${field}: ${show(value)} from ${sourceName} ignored (direction ${d}: ${sourceName} does not send ${field} in); the hub keeps ${show(current)}`,
      });
      continue;
    }
    if (value === current) {
      if (sourceState) {
        sourceState.base[field] = value;
        if (has(sourceState.pending, field) && norm(sourceState.pending[field]) === value) delete sourceState.pending[field];
      }
      decisions.push({ field, winner: HUB_SOURCE, rule: 'same', value, lost: null, explanation: `${field}: ${sourceName} holds the same ${show(value)} as the hub` });
      continue;
    }

    // A value we wrote to this connection earlier, read back after a newer write: not a change.
    if (source && sourceState && (sourceState.recentWrites[field] ?? []).some((w) => norm(w) === value)) {
      if (takesOut(source.directions[field]) && !(has(sourceState.pending, field) && norm(sourceState.pending[field]) === current)) queue(source.id, field, current);
      decisions.push({
        field, winner: prov?.source ?? HUB_SOURCE, rule: 'own_write', value: current,
        lost: { source: change.source, value },
        explanation: `${field}: ${show(value)} from ${sourceName} is an earlier write of ours read back late; the hub keeps ${show(current)}`,
      });
      continue;
    }

    // Decide between the incoming value and the hub's current one.
    const owner = policy.owners[field];
    const hubSystem = prov?.system;
    let incomingWins: boolean;
    let rule: ConflictRule;
    let why: string;
    const inFlight = sourceState !== undefined && has(sourceState.pending, field) && norm(sourceState.pending[field]) !== value;
    if (owner !== undefined && sourceSystem === owner && hubSystem !== owner) {
      incomingWins = true; rule = 'owner'; why = `${owner} owns ${field}`;
    } else if (owner !== undefined && sourceSystem !== owner && hubSystem === owner) {
      incomingWins = false; rule = 'owner'; why = `${owner} owns ${field}`;
    } else {
      const hubUnchanged = isHub || (sourceState !== undefined && source?.base !== null && has(sourceState.base, field) && norm(sourceState.base[field]) === current && !inFlight);
      const hubAt = stamp(prov?.changedAt);
      if (hubUnchanged) {
        incomingWins = true; rule = 'only_one_changed'; why = isHub ? 'a person changed it in Ledgerlink' : 'only it changed since the last sync';
      } else if (hubAt !== null && incomingAt !== null && hubAt !== incomingAt) {
        incomingWins = incomingAt > hubAt; rule = 'newer'; why = 'both changed since the last sync; the later change wins';
      } else {
        incomingWins = (policy.tieBreaker ?? 'ours') === 'theirs'; rule = 'tie';
        why = `both changed at the same or an unknown time; ties go to ${incomingWins ? 'the incoming change' : 'the hub'}`;
      }
    }

    if (incomingWins) {
      const previous = prov?.source ?? HUB_SOURCE;
      canonical[field] = value;
      provenance[field] = { source: change.source, system: sourceSystem, changedAt: change.changedAt };
      if (sourceState) {
        sourceState.base[field] = value;
        // A write of ours still in flight would overwrite this value: send it back too.
        if (inFlight && source && takesOut(source.directions[field])) queue(source.id, field, value);
      }
      for (const c of input.connections) {
        if (c.id === change.source || !takesOut(c.directions[field])) continue;
        const s = states.get(c.id);
        const holds = s && has(s.pending, field) ? norm(s.pending[field]) : s && has(s.base, field) ? norm(s.base[field]) : undefined;
        if (holds !== value) queue(c.id, field, value);
      }
      decisions.push({
        field, winner: change.source, rule, value,
        lost: { source: previous, value: current },
        explanation: `${field}: ${show(value)} from ${sourceName} wins (${why}); the previous ${show(current)} kept in the audit log`,
      });
    } else {
      if (source && takesOut(source.directions[field])) queue(source.id, field, current);
      const holder = prov?.source ?? HUB_SOURCE;
      decisions.push({
        field, winner: holder, rule, value: current,
        lost: { source: change.source, value },
        explanation: `${field}: the hub keeps ${show(current)} (${why}); ${show(value)} from ${sourceName} kept in the audit log`,
      });
    }
  }

  const writes: SyncWrite[] = [];
  for (const c of input.connections) {
    const values = toWrite.get(c.id);
    if (values === undefined) continue;
    const hash = syncContentHash(values);
    writes.push({ connectionId: c.id, values, hash });
    const s = states.get(c.id);
    if (s) {
      Object.assign(s.pending, values);
      s.lastPushedHash = hash;
      for (const [field, v] of Object.entries(values)) s.recentWrites[field] = [...(s.recentWrites[field] ?? []).filter((w) => norm(w) !== v), v].slice(-RECENT_WRITES);
    }
  }
  const won = decisions.filter((d) => d.winner === change.source && d.rule !== 'same').length;
  const kept = decisions.filter((d) => d.lost !== null && d.lost.source === change.source).length;
  const reason = decisions.length === 0
    ? `${sourceName} sent no fields: nothing to do`
    : `${won} field(s) taken from ${sourceName}, ${kept} kept from the hub; ${writes.length} connection(s) to write`;
  return { echo: false, reason, canonical, provenance, writes, decisions, connections: snapshot() };
}
