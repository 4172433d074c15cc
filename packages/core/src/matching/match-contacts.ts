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
  const emails = c.emails;
  for (let f = 0; f < order.length; f++) {
    const field = order[f];
    if (field === undefined) continue;
    switch (field) {
      case 'taxNumber':
        if (c.taxNumber !== null) visit(SLOT.taxNumber, c.taxNumber);
        break;
      case 'email':
        for (let e = 0; e < emails.length; e++) visit(SLOT.email, emails[e] ?? '');
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
        for (let e = 0; e < emails.length; e++) visit(SLOT.nameEmailLocal, `${key}|${emailLocalPart(emails[e] ?? '')}`);
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
        for (let p = 0; p < c.phones.length; p++) {
          const phone = c.phones[p] ?? '';
          visit(SLOT.phone, phone.length > 8 ? phone.slice(-8) : phone);
        }
        break;
    }
  }
}

/**
 * The blocking index: per slot, a normalised key → a block id; each block is a linked list of
 * remote positions in flat typed arrays (no array per key, nothing for the collector to trace).
 */
class BlockIndex {
  private readonly ids: Map<string, number>[];
  private head = new Int32Array(1 << 14);
  private size = new Int32Array(1 << 14);
  private blocks = 0;
  private remote = new Int32Array(1 << 15);
  private link = new Int32Array(1 << 15);
  private entries = 0;

  constructor(slots: number) {
    this.ids = Array.from({ length: slots }, () => new Map<string, number>());
  }

  /** Adds remote position `ri` under `key`; the same remote twice in a row is kept once. */
  add(slot: number, key: string, ri: number): void {
    const ids = this.ids[slot];
    if (ids === undefined) return;
    let block = ids.get(key);
    if (block === undefined) {
      block = this.blocks++;
      if (block === this.head.length) { this.head = grow(this.head); this.size = grow(this.size); }
      ids.set(key, block);
      this.head[block] = -1;
    } else {
      const first = this.head[block] ?? -1;
      if (first >= 0 && this.remote[first] === ri) return;
    }
    const entry = this.entries++;
    if (entry === this.remote.length) { this.remote = grow(this.remote); this.link = grow(this.link); }
    this.remote[entry] = ri;
    this.link[entry] = this.head[block] ?? -1;
    this.head[block] = entry;
    this.size[block] = (this.size[block] ?? 0) + 1;
  }

  /** The block of a key, or -1. */
  find(slot: number, key: string): number {
    return this.ids[slot]?.get(key) ?? -1;
  }

  sizeOf(block: number): number { return this.size[block] ?? 0; }
  first(block: number): number { return this.head[block] ?? -1; }
  next(entry: number): number { return this.link[entry] ?? -1; }
  remoteAt(entry: number): number { return this.remote[entry] ?? -1; }
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
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
  const index = new BlockIndex(SLOTS);
  let remotesConsidered = 0;
  let remotesAlreadyLinked = 0;
  let remotesNotActive = 0;
  // One visitor for every remote contact (no closure per contact): `indexing` is the position.
  let indexing = 0;
  const addKey = (slot: number, key: string) => {
    if (probed[slot]) index.add(slot, key, indexing);
  };
  for (let i = 0; i < input.remotes.length; i++) {
    const remote = input.remotes[i];
    if (remote === undefined) continue;
    if (linkedRemotes.has(remote.id)) { remotesAlreadyLinked++; continue; }
    if (remote.status !== 'active') { remotesNotActive++; continue; }
    remotesConsidered++;
    const norm = normaliseContact(remote.contact);
    remoteNorm[i] = norm;
    indexing = i;
    visitKeys(norm, rules.order, 'index', addKey);
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
  // The probing state of the current local; the visitors are made once, not per contact.
  let li = 0;
  let norm: NormalisedContact | null = null;
  const found: Scored[] = [];
  let passing = 0;
  const consider = (ri: number) => {
    if (seenBy[ri] === li) return;
    seenBy[ri] = li;
    const remote = remoteNorm[ri];
    if (!remote || norm === null) return;
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
  const probe = (slot: number, key: string) => {
    const block = index.find(slot, key);
    if (block < 0) return;
    const size = index.sizeOf(block);
    if (size > 1 && size > rules.maxBlockSize) { oversized.add(`${slot}:${key}`); return; }
    for (let entry = index.first(block); entry >= 0; entry = index.next(entry)) consider(index.remoteAt(entry));
  };
  for (li = 0; li < input.locals.length; li++) {
    const local = input.locals[li];
    if (local === undefined) continue;
    if (linkedLocals.has(local.id)) { localsAlreadyLinked++; continue; }
    norm = localNorm[li] ?? null;
    if (norm === null) continue;
    found.length = 0;
    passing = 0;
    visitKeys(norm, rules.order, 'probe', probe);
    if (found.length > 0) perLocal[li] = { norm, found: found.slice(), passing };
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
