import type { MatchField, MatchRules } from './match-rules.js';
import { contactLabels, emailLocalPart, samePhone, type NormalisedContact } from './normalise-contact.js';

export interface PairScore {
  /** 0..1, rounded to two decimals. */
  readonly score: number;
  /** Why this pair may never be linked automatically, whatever the score; null when nothing conflicts. */
  readonly conflict: string | null;
  /** Human-readable evidence, in the order of `rules.order`, then the conflict if any (empty when not explained). */
  readonly reasons: readonly string[];
  /** True when the pair passes the rules on its own: score ≥ autoLinkScore and no conflict. */
  readonly passes: boolean;
}

/** At most one insertion, deletion, substitution or swap of two neighbouring letters apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

const shown = (a: string | null, b: string | null): string =>
  a === b || a === null || b === null ? `'${a ?? b ?? ''}'` : `'${a}' ~ '${b}'`;
const afterNormalisation = (a: string | null, b: string | null): string =>
  a === b || a === null || b === null ? '' : ' after normalisation';

type NameEvidence = 'same' | 'similar' | 'givenOnly' | 'different' | null;

function compareNames(l: NormalisedContact, r: NormalisedContact): NameEvidence {
  const lg = l.givenName;
  const rg = r.givenName;
  const lf = l.familyName;
  const rf = r.familyName;
  if (lg === null || lf === null || rg === null || rf === null) return null;
  const familySame = lf === rf || l.familyLast === r.familyLast;
  const givenSame = lg === rg;
  if (givenSame && familySame) return 'same';
  if (lg === r.familyLast && l.familyLast === rg) return 'same';
  if (givenSame && Math.min(lf.length, rf.length) >= 4 && withinOneEdit(lf, rf)) return 'similar';
  if (familySame && isSwap(lg, rg)) return 'similar';
  if (familySame && (lg.length === 1 || rg.length === 1) && lg[0] === rg[0]) return 'similar';
  if (givenSame) return 'givenOnly';
  return 'different';
}

/**
 * A scorer compiled once per rule set. `explain: false` is the hot path: no reason texts, and the
 * returned object is reused by the next call (read it at once); `explain: true` returns a fresh,
 * complete PairScore.
 */
export type PairScorer = (l: NormalisedContact, r: NormalisedContact, explain: boolean) => PairScore;

export function compilePairScorer(rules: MatchRules): PairScorer {
  const w = rules.weights;
  const on = (field: MatchField) => rules.order.includes(field);
  const useTax = on('taxNumber');
  const useEmail = on('email');
  const useName = on('name');
  const useCompany = on('company');
  const useDisplay = on('displayName');
  const usePhone = on('phone');
  const reused: { score: number; conflict: string | null; reasons: readonly string[]; passes: boolean } = { score: 0, conflict: null, reasons: [], passes: false };

  return (l, r, explain) => {
    const found = explain ? new Map<MatchField, string>() : null;
    const ll = explain ? contactLabels(l) : null;
    const rl = explain ? contactLabels(r) : null;
    let score = 0;
    let conflict: string | null = null;

    if (useTax && l.taxNumber !== null && r.taxNumber !== null) {
      if (l.taxNumber === r.taxNumber) {
        score += w.taxNumberSame;
        found?.set('taxNumber', `Same tax number (${l.taxNumber})`);
      } else {
        conflict = explain ? `Different tax numbers (${l.taxNumber} ≠ ${r.taxNumber})` : 'tax';
      }
    }

    if (useEmail && l.emails.length > 0 && r.emails.length > 0) {
      let same: string | undefined;
      for (const e of l.emails) if (r.emails.includes(e)) { same = e; break; }
      if (same !== undefined) {
        score += w.emailSame;
        found?.set('email', `Same e-mail (${same})`);
      } else {
        let similar: string | null = null;
        for (const a of l.emails) {
          const ad = a.slice(a.lastIndexOf('@') + 1);
          if (ad.length < 5) continue;
          for (const b of r.emails) {
            if (withinOneEdit(ad, b.slice(b.lastIndexOf('@') + 1)) && emailLocalPart(a) === emailLocalPart(b)) similar = explain ? `${a} ~ ${b}` : '';
          }
        }
        if (similar !== null) {
          score += w.emailSimilar;
          found?.set('email', `E-mail one typo apart (${similar})`);
        } else {
          score += w.emailDifferent;
          found?.set('email', `Different e-mails (${l.emails[0] ?? ''} ≠ ${r.emails[0] ?? ''})`);
        }
      }
    }

    const names = useName ? compareNames(l, r) : null;
    if (names !== null) {
      if (l.generation !== null && r.generation !== null && l.generation !== r.generation) {
        conflict ??= explain ? `Different generations (${l.generation} ≠ ${r.generation})` : 'generation';
      }
      const pair = explain ? `(${shown(ll?.name ?? null, rl?.name ?? null)})` : '';
      switch (names) {
        case 'same':
          score += w.nameSame;
          found?.set('name', `Same name${afterNormalisation(ll?.name ?? null, rl?.name ?? null)} ${pair}`);
          break;
        case 'similar':
          score += w.nameSimilar;
          found?.set('name', `Name one typo apart ${pair}`);
          break;
        case 'givenOnly':
          score += w.nameGivenOnly;
          found?.set('name', `Same first name, different family name ${pair}`);
          break;
        case 'different':
          score += w.nameDifferent;
          found?.set('name', `Different names ${pair}`);
          conflict ??= explain ? `Different people (${shown(ll?.name ?? null, rl?.name ?? null)})` : 'name';
          break;
      }
    }

    let companyCompared = false;
    if (useCompany && l.companyKey !== null && r.companyKey !== null) {
      companyCompared = true;
      const pair = explain ? `(${shown(ll?.company ?? null, rl?.company ?? null)})` : '';
      if (l.companyKey === r.companyKey) {
        score += names === 'same' ? w.companyAlsoSame : w.companySame;
        found?.set('company', `Same company name${afterNormalisation(ll?.company ?? null, rl?.company ?? null)} ${pair}`);
      } else {
        score += w.companyDifferent;
        found?.set('company', `Different company names ${pair}`);
      }
    }

    if (useDisplay && names === null && !companyCompared && l.displayKey !== null && l.displayKey === r.displayKey) {
      score += w.displayNameSame;
      found?.set('displayName', `Same display name${afterNormalisation(ll?.display ?? null, rl?.display ?? null)} (${shown(ll?.display ?? null, rl?.display ?? null)})`);
    }

    if (usePhone && l.phones.length > 0 && r.phones.length > 0) {
      let same: string | undefined;
      for (const a of l.phones) for (const b of r.phones) if (same === undefined && samePhone(a, b)) same = a;
      if (same !== undefined) {
        score += w.phoneSame;
        found?.set('phone', `Same phone (${same})`);
      }
    }

    const lPersonOnly = l.givenName !== null && l.companyKey === null;
    const rPersonOnly = r.givenName !== null && r.companyKey === null;
    const lOrgOnly = l.companyKey !== null && l.givenName === null;
    const rOrgOnly = r.companyKey !== null && r.givenName === null;
    if ((lPersonOnly && rOrgOnly) || (lOrgOnly && rPersonOnly)) {
      score += w.personVersusOrganisation;
      conflict ??= explain ? 'One is a person, the other an organisation' : 'kind';
    }

    const rounded = Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;
    const passes = conflict === null && rounded >= rules.autoLinkScore;
    if (!found) {
      reused.score = rounded;
      reused.conflict = conflict;
      reused.passes = passes;
      return reused;
    }
    const reasons = rules.order.flatMap((field) => {
      const reason = found.get(field);
      return reason === undefined ? [] : [reason];
    });
    if (conflict !== null && !reasons.includes(conflict)) reasons.push(conflict);
    return { score: rounded, conflict, reasons, passes };
  };
}

/**
 * Scores one local contact against one remote contact under the rules, with reasons.
 * `matchContacts` uses the same scorer for every candidate its indexes propose.
 */
export function scoreContactPair(l: NormalisedContact, r: NormalisedContact, rules: MatchRules): PairScore {
  return compilePairScorer(rules)(l, r, true);
}
