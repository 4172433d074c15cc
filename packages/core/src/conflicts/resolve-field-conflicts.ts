/** Which system owns a field: its value wins whenever the two sides differ. */
export type FieldOwner = 'accounting' | 'crm' | 'hub';

/** One side of an exchange: the system the value comes from and its name for people. */
export interface ConflictSide {
  readonly system: FieldOwner;
  /** e.g. "QuickBooks", "HubSpot", "Ledgerlink". */
  readonly name: string;
}

export interface FieldVersion {
  /** null when the field is empty on that side. */
  readonly value: string | null;
  /** When that side last changed the field (ISO); null when unknown. */
  readonly changedAt: string | null;
}

export interface FieldConflict {
  readonly field: string;
  /** The value both sides had at the last sync; leave it out when there was no sync yet. */
  readonly base?: string | null;
  readonly ours: FieldVersion;
  readonly theirs: FieldVersion;
}

export interface ConflictPolicy {
  /** field → owner. Fields without an owner go to the last writer against the base. */
  readonly owners: Readonly<Record<string, FieldOwner>>;
  /** Who wins when both changed at the same (or an unknown) time. Default 'ours'. */
  readonly tieBreaker?: 'ours' | 'theirs';
}

export interface ResolveFieldConflictsInput {
  readonly ours: ConflictSide;
  readonly theirs: ConflictSide;
  readonly fields: readonly FieldConflict[];
  readonly policy: ConflictPolicy;
}

export type ConflictRule = 'same' | 'owner' | 'only_one_changed' | 'newer' | 'tie';

export interface FieldDecision {
  readonly field: string;
  readonly winner: 'ours' | 'theirs' | 'none';
  /** The value both sides end with. */
  readonly value: string | null;
  readonly rule: ConflictRule;
  /** Write `value` to our side / their side. */
  readonly writeOurs: boolean;
  readonly writeTheirs: boolean;
  /** The losing value, for the audit log; null when nothing was lost. */
  readonly discarded: { readonly side: 'ours' | 'theirs'; readonly system: FieldOwner; readonly value: string | null } | null;
  /** e.g. "phone: QuickBooks wins (owner of phone); HubSpot's value '+61 2 9999…' kept in the audit log". */
  readonly explanation: string;
}

const show = (value: string | null): string => (value === null ? 'empty value' : `value '${value.length > 12 ? `${value.slice(0, 12)}…` : value}'`);

function stamp(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/**
 * Three-way, per-field resolution for bidirectional sync. For each field:
 * 1. the same value on both sides: nothing to do
 * 2. an owner among the two sides: the owner's value wins
 * 3. otherwise, against the last synced base: the side that changed wins; when both changed (or
 *    there is no base), the newer change wins; equal or unknown times go to the tie-breaker
 * The loser's value is returned for the audit log, and every decision reads as a sentence.
 */
export function resolveFieldConflicts(input: ResolveFieldConflictsInput): FieldDecision[] {
  const tieBreaker = input.policy.tieBreaker ?? 'ours';
  return input.fields.map((conflict): FieldDecision => {
    const { field, ours, theirs } = conflict;
    if (ours.value === theirs.value) {
      return { field, winner: 'none', value: ours.value, rule: 'same', writeOurs: false, writeTheirs: false, discarded: null, explanation: `${field}: the same on ${input.ours.name} and ${input.theirs.name}` };
    }
    const decide = (winner: 'ours' | 'theirs', rule: ConflictRule, why: string): FieldDecision => {
      const loser = winner === 'ours' ? 'theirs' : 'ours';
      const winSide = input[winner];
      const loseSide = input[loser];
      const lost = conflict[loser].value;
      return {
        field, winner, value: conflict[winner].value, rule,
        writeOurs: winner === 'theirs', writeTheirs: winner === 'ours',
        discarded: { side: loser, system: loseSide.system, value: lost },
        explanation: `${field}: ${winSide.name} wins (${why}); ${loseSide.name}'s ${show(lost)} kept in the audit log`,
      };
    };
    const owner = input.policy.owners[field];
    if (owner !== undefined && input.ours.system !== input.theirs.system) {
      if (owner === input.ours.system) return decide('ours', 'owner', `owner of ${field}`);
      if (owner === input.theirs.system) return decide('theirs', 'owner', `owner of ${field}`);
    }
    if (conflict.base !== undefined) {
      const oursChanged = ours.value !== conflict.base;
      const theirsChanged = theirs.value !== conflict.base;
      if (oursChanged && !theirsChanged) return decide('ours', 'only_one_changed', 'only it changed since the last sync');
      if (theirsChanged && !oursChanged) return decide('theirs', 'only_one_changed', 'only it changed since the last sync');
    }
    const a = stamp(ours.changedAt);
    const b = stamp(theirs.changedAt);
    const both = conflict.base === undefined ? 'no sync yet' : 'both changed it';
    if (a !== null && b !== null && a !== b) {
      return a > b ? decide('ours', 'newer', `${both}; its change is newer`) : decide('theirs', 'newer', `${both}; its change is newer`);
    }
    return decide(tieBreaker, 'tie', `${both} at the same or an unknown time; ties go to ${input[tieBreaker].name}`);
  });
}
