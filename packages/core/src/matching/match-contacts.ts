import type { Contact, RemoteStatus } from '@ledgerlink/connector-sdk';
import { resolveMatchRules, type MatchField, type MatchRulesInput } from './match-rules.js';
import { emailLocalPart, normaliseContact, withTokenCache, type NormalisedContact } from './normalise-contact.js';
import { compilePairScorer } from './score-contact-pair.js';

export interface LocalContactInput {
  readonly id: string;
  readonly contact: Contact;
}

export interface RemoteContactInput {
  readonly id: string;
  /** Only `active` remote contacts are candidates; the others would invalidate the link at once. */
  readonly status: RemoteStatus;
  readonly contact: Contact;
}

/** A link that exists already (state linked or pending): neither side is matched again. */
export interface ExistingLink {
  readonly localId: string;
  readonly remoteId: string;
}

export interface MatchInput {
  readonly locals: readonly LocalContactInput[];
  readonly remotes: readonly RemoteContactInput[];
  readonly existingLinks?: readonly ExistingLink[];
  readonly rules?: MatchRulesInput;
}

export interface AutoLink {
  readonly localId: string;
  readonly remoteId: string;
  readonly score: number;
  readonly reasons: readonly string[];
}

export interface SuggestedCandidate {
  readonly remoteId: string;
  readonly score: number;
  /** True when this candidate passes the rules on its own (it was not linked because it is not unique). */
  readonly passes: boolean;
  readonly reasons: readonly string[];
}

/**
 * Why a local contact was not linked automatically:
 * - `ambiguous`: several remote contacts pass the rules;
 * - `contested`: exactly one remote contact passes, but it also passes for another local contact;
 * - `uncertain`: candidates exist, none passes the rules.
 */
export type SuggestionCause = 'ambiguous' | 'contested' | 'uncertain';

export interface Suggestion {
  readonly localId: string;
  readonly cause: SuggestionCause;
  /** One sentence for the review queue. */
  readonly explanation: string;
  /** Best first: passing candidates, then by score, then by remote id. */
  readonly candidates: readonly SuggestedCandidate[];
}

export interface MatchStats {
  readonly localsMatched: number;
  readonly localsAlreadyLinked: number;
  readonly remotesConsidered: number;
  readonly remotesAlreadyLinked: number;
  readonly remotesNotActive: number;
  /** Candidate pairs skipped because one is a customer and the other a supplier (`rules.sameKindOnly`). */
  readonly pairsOfOtherKind: number;
  /** Pairs compared field by field; the blocking indexes keep this near the number of contacts. */
  readonly pairsScored: number;
  /** Blocking keys skipped because more than `rules.maxBlockSize` remote contacts share them. */
  readonly oversizedBlocks: number;
  readonly autoLinks: number;
  readonly suggestions: number;
}

export interface MatchResult {
  readonly autoLinks: readonly AutoLink[];
  readonly suggestions: readonly Suggestion[];
  readonly stats: MatchStats;
}

const SLOT = { taxNumber: 0, email: 1, nameAny: 2, nameNoEmail: 3, nameEmailLocal: 4, company: 5, displayAny: 6, displayOnly: 7, phone: 8 } as const;
const SLOTS = Object.keys(SLOT).length;

/**
 * Calls `visit` with each blocking key of a contact: its tax number, each e-mail, its company key,
 * display key, the last 8 digits of each phone, and its first+last name (either order). Two
 * contacts are compared only when they share a key in the same slot.
 *
 * Names are common, so a name alone brings two contacts together only when one of them has no
 * e-mail; when both have e-mails, the name key is paired with the e-mail's local part (which finds
 * jo@gmial.com ~ jo@gmail.com). With the default weights this loses no passing pair: a shared name
 * with different e-mails can only pass with a shared tax number, which has its own key. Display
 * names likewise meet only when one side has neither a person nor a company name, the only case
 * in which scoring looks at them.
 */
function visitKeys(c: NormalisedContact, order: readonly MatchField[], side: 'index' | 'probe', visit: (slot: number, key: string) => void): void {
  for (const field of order) {
    switch (field) {
      case 'taxNumber':
        if (c.taxNumber !== null) visit(SLOT.taxNumber, c.taxNumber);
        break;
      case 'email':
        for (const e of c.emails) visit(SLOT.email, e);
        break;
      case 'name': {
        if (c.givenName === null || c.familyLast === null) break;
        const key = c.givenName < c.familyLast ? `${c.givenName} ${c.familyLast}` : `${c.familyLast} ${c.givenName}`;
        const noEmail = c.emails.length === 0;
        if (side === 'index') {
          visit(SLOT.nameAny, key);
          if (noEmail) visit(SLOT.nameNoEmail, key);
        } else {
          visit(noEmail ? SLOT.nameAny : SLOT.nameNoEmail, key);
        }
        for (const e of c.emails) visit(SLOT.nameEmailLocal, `${key}|${emailLocalPart(e)}`);
        break;
      }
      case 'company':
        if (c.companyKey !== null) visit(SLOT.company, c.companyKey);
        break;
      case 'displayName': {
        // The display name counts only when one side has neither a person nor a company name.
        if (c.displayKey === null) break;
        const only = c.givenName === null && c.companyKey === null;
        if (side === 'index') {
          visit(SLOT.displayAny, c.displayKey);
          if (only) visit(SLOT.displayOnly, c.displayKey);
        } else {
          visit(only ? SLOT.displayAny : SLOT.displayOnly, c.displayKey);
        }
        break;
      }
      case 'phone':
        for (const p of c.phones) visit(SLOT.phone, p.length > 8 ? p.slice(-8) : p);
        break;
    }
  }
}

function uniqueIds(items: readonly { readonly id: string }[], field: string): void {
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) continue;
    if (typeof item.id !== 'string' || item.id.length === 0) throw new Error(`${field}[${i}].id is missing: give every contact a non-empty id`);
    if (seen.has(item.id)) throw new Error(`${field}[${i}].id "${item.id}" appears twice: ids must be unique within ${field}`);
    seen.add(item.id);
  }
}

interface Scored { readonly remote: number; readonly score: number; readonly passes: boolean }

/** Passing candidates first, then by score, then by remote id. */
function stronger(a: Scored, b: Scored, ids: readonly string[]): number {
  return Number(b.passes) - Number(a.passes) || b.score - a.score || ((ids[a.remote] ?? '') < (ids[b.remote] ?? '') ? -1 : 1);
}

/**
 * Proposes links between local and remote contacts (ARCHITECTURE.md promise 4).
 *
 * A local contact is linked automatically only when exactly one remote contact passes the rules
 * for it and that remote contact passes for no other local contact; every other local contact
 * with a candidate at or above `rules.suggestionScore` gets a suggestion with scores and reasons.
 * Already-linked locals and remotes, and remote contacts that are not active, are left out, so a
 * remote contact never ends up linked to two locals. Candidates come from indexes on normalised
 * tax number, e-mail, name, company, display name and phone (blocking, see visitKeys), never
 * from all pairs; with the default weights no pair can pass without sharing one of those keys.
 * Pure: the same input gives the same output, in the order of `locals`.
 */
export function matchContacts(input: MatchInput): MatchResult {
  return withTokenCache(() => matchWithCache(input));
}

function matchWithCache(input: MatchInput): MatchResult {
  const rules = resolveMatchRules(input.rules);
  uniqueIds(input.locals, 'locals');
  uniqueIds(input.remotes, 'remotes');
  const linkedLocals = new Set<string>();
  const linkedRemotes = new Set<string>();
  for (const link of input.existingLinks ?? []) {
    linkedLocals.add(link.localId);
    linkedRemotes.add(link.remoteId);
  }

  // Locals first: the slots no local will probe (a name or display name alone) are not built.
  const localNorm: (NormalisedContact | null)[] = input.locals.map((l) => (linkedLocals.has(l.id) ? null : normaliseContact(l.contact)));
  const probed = new Array<boolean>(SLOTS).fill(true);
  probed[SLOT.nameAny] = localNorm.some((n) => n !== null && n.givenName !== null && n.emails.length === 0);
  probed[SLOT.displayAny] = localNorm.some((n) => n !== null && n.displayKey !== null && n.givenName === null && n.companyKey === null);

  const remoteIds = input.remotes.map((r) => r.id);
  const remoteNorm: (NormalisedContact | null)[] = new Array<NormalisedContact | null>(input.remotes.length).fill(null);
  // One index per field; a key held by one remote contact maps to its position, else to a list.
  const index = Array.from({ length: SLOTS }, () => new Map<string, number | number[]>());
  let remotesConsidered = 0;
  let remotesAlreadyLinked = 0;
  let remotesNotActive = 0;
  for (let i = 0; i < input.remotes.length; i++) {
    const remote = input.remotes[i];
    if (remote === undefined) continue;
    if (linkedRemotes.has(remote.id)) { remotesAlreadyLinked++; continue; }
    if (remote.status !== 'active') { remotesNotActive++; continue; }
    remotesConsidered++;
    const norm = normaliseContact(remote.contact);
    remoteNorm[i] = norm;
    visitKeys(norm, rules.order, 'index', (slot, key) => {
      if (!probed[slot]) return;
      const map = index[slot];
      const block = map?.get(key);
      if (block === undefined) map?.set(key, i);
      else if (typeof block === 'number') { if (block !== i) map?.set(key, [block, i]); }
      else if (block[block.length - 1] !== i) block.push(i);
    });
  }

  const score = compilePairScorer(rules);
  const seenBy = new Int32Array(input.remotes.length).fill(-1);
  const claims = new Int32Array(input.remotes.length);
  const oversized = new Set<string>();
  // Per local: every passing candidate plus the best `maxSuggestions` others; reasons come later.
  const perLocal: ({ norm: NormalisedContact; found: Scored[]; passing: number } | null)[] = new Array<null>(input.locals.length).fill(null);
  let pairsScored = 0;
  let pairsOfOtherKind = 0;
  let localsAlreadyLinked = 0;
  for (let li = 0; li < input.locals.length; li++) {
    const local = input.locals[li];
    if (local === undefined) continue;
    if (linkedLocals.has(local.id)) { localsAlreadyLinked++; continue; }
    const norm = localNorm[li];
    if (!norm) continue;
    const found: Scored[] = [];
    let passing = 0;
    const consider = (ri: number) => {
      if (seenBy[ri] === li) return;
      seenBy[ri] = li;
      const remote = remoteNorm[ri];
      if (!remote) return;
      if (rules.sameKindOnly && remote.kind !== norm.kind) { pairsOfOtherKind++; return; }
      pairsScored++;
      const result = score(norm, remote, false);
      if (result.passes) {
        claims[ri] = (claims[ri] ?? 0) + 1;
        passing++;
      } else if (result.score < rules.suggestionScore) {
        return;
      }
      found.push({ remote: ri, score: result.score, passes: result.passes });
      if (found.length > passing + rules.maxSuggestions) {
        found.sort((x, y) => stronger(x, y, remoteIds));
        found.length = passing + rules.maxSuggestions;
      }
    };
    visitKeys(norm, rules.order, 'probe', (slot, key) => {
      const block = index[slot]?.get(key);
      if (block === undefined) return;
      if (typeof block === 'number') { consider(block); return; }
      if (block.length > rules.maxBlockSize) { oversized.add(`${slot}:${key}`); return; }
      for (const ri of block) consider(ri);
    });
    if (found.length > 0) perLocal[li] = { norm, found, passing };
  }

  const autoLinks: AutoLink[] = [];
  const suggestions: Suggestion[] = [];
  for (let li = 0; li < perLocal.length; li++) {
    const entry = perLocal[li];
    const local = input.locals[li];
    if (!entry || !local) continue;
    const { norm, found, passing } = entry;
    const explain = (s: Scored) => {
      const remote = remoteNorm[s.remote];
      return remote ? score(norm, remote, true).reasons : [];
    };
    const only = passing === 1 ? found.find((s) => s.passes) : undefined;
    if (only && claims[only.remote] === 1) {
      autoLinks.push({ localId: local.id, remoteId: remoteIds[only.remote] ?? '', score: only.score, reasons: explain(only) });
      continue;
    }
    const candidates = found
      .sort((x, y) => stronger(x, y, remoteIds))
      .slice(0, rules.maxSuggestions)
      .map((s) => ({ remoteId: remoteIds[s.remote] ?? '', score: s.score, passes: s.passes, reasons: explain(s) }));
    if (passing > 1) {
      suggestions.push({ localId: local.id, cause: 'ambiguous', explanation: `${passing} remote contacts pass the rules: choose the right one`, candidates });
    } else if (only) {
      const others = (claims[only.remote] ?? 1) - 1;
      suggestions.push({
        localId: local.id, cause: 'contested', candidates,
        explanation: `Remote contact ${remoteIds[only.remote] ?? ''} also passes for ${others} other local contact${others === 1 ? '' : 's'}: confirm which one it is`,
      });
    } else {
      suggestions.push({ localId: local.id, cause: 'uncertain', explanation: 'No candidate is certain enough to link automatically: review the best ones', candidates });
    }
  }

  return {
    autoLinks,
    suggestions,
    stats: {
      localsMatched: input.locals.length - localsAlreadyLinked,
      localsAlreadyLinked,
      remotesConsidered,
      remotesAlreadyLinked,
      remotesNotActive,
      pairsOfOtherKind,
      pairsScored,
      oversizedBlocks: oversized.size,
      autoLinks: autoLinks.length,
      suggestions: suggestions.length,
    },
  };
}
