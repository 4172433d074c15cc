/**
 * The rules of contact matching: which fields are compared (and in which order their reasons are
 * told), how much each agreement or disagreement weighs, and the two thresholds.
 *
 * Scoring: each field compares the normalised keys of a local and a remote contact and adds its
 * weight for an agreement (or its negative weight for a disagreement); the sum is clamped to
 * [0, 1]. A candidate *passes* when its score reaches `autoLinkScore` and nothing conflicts
 * (different tax numbers, different person names, Jr vs Sr, a person against an organisation).
 * With the defaults, these pass: same e-mail + same name, same name + e-mail with a one-letter
 * domain typo, same tax number, same e-mail + same given name + same phone (a married-name change),
 * same company + same e-mail or phone. Same name alone, same e-mail alone (families share one) and
 * same phone alone (offices share one) never pass: they become suggestions.
 */
export type MatchField = 'taxNumber' | 'email' | 'name' | 'company' | 'displayName' | 'phone';

export interface MatchWeights {
  /** Same tax number. A different tax number is always a conflict. */
  readonly taxNumberSame: number;
  readonly emailSame: number;
  /** Same local part, domain one typo apart (jo@gmial.com ~ jo@gmail.com). */
  readonly emailSimilar: number;
  /** Both have e-mail addresses and none is shared. */
  readonly emailDifferent: number;
  /** Same first and last name (in either order). */
  readonly nameSame: number;
  /** Same first name and family name one typo apart, or first name with two letters swapped. */
  readonly nameSimilar: number;
  /** Same first name, different family name (a married-name change is the usual cause). */
  readonly nameGivenOnly: number;
  /** Different first names: a different person. Always a conflict. */
  readonly nameDifferent: number;
  /** Same company name; counts in full when no person name agreed, else `companyAlsoSame`. */
  readonly companySame: number;
  readonly companyAlsoSame: number;
  readonly companyDifferent: number;
  /** Same display name, used only when neither person nor company names could be compared. */
  readonly displayNameSame: number;
  readonly phoneSame: number;
  /** One side is only a person, the other only an organisation. Always a conflict. */
  readonly personVersusOrganisation: number;
}

export interface MatchRules {
  /** Fields compared, in this order; reasons are listed in this order; a field left out is ignored entirely. */
  readonly order: readonly MatchField[];
  readonly weights: MatchWeights;
  /** A candidate passes at or above this score (0..1). */
  readonly autoLinkScore: number;
  /** Candidates at or above this score (0..1) are suggested for review. */
  readonly suggestionScore: number;
  /** Suggested candidates per local contact, best first. */
  readonly maxSuggestions: number;
  /** Only remote contacts of the same kind (customer/supplier) are candidates. */
  readonly sameKindOnly: boolean;
  /**
   * A blocking key (one e-mail, phone, name, …) shared by more remote contacts than this is not
   * used to find candidates (a shared switchboard number would otherwise pair everyone with
   * everyone); the other keys still are.
   */
  readonly maxBlockSize: number;
}

export const DEFAULT_MATCH_WEIGHTS: MatchWeights = {
  taxNumberSame: 0.8,
  emailSame: 0.45,
  emailSimilar: 0.35,
  emailDifferent: -0.15,
  nameSame: 0.45,
  nameSimilar: 0.25,
  nameGivenOnly: 0.1,
  nameDifferent: -0.5,
  companySame: 0.45,
  companyAlsoSame: 0.2,
  companyDifferent: -0.2,
  displayNameSame: 0.4,
  phoneSame: 0.25,
  personVersusOrganisation: -0.6,
};

export const DEFAULT_MATCH_RULES: MatchRules = {
  order: ['taxNumber', 'email', 'name', 'company', 'displayName', 'phone'],
  weights: DEFAULT_MATCH_WEIGHTS,
  autoLinkScore: 0.8,
  suggestionScore: 0.35,
  maxSuggestions: 5,
  sameKindOnly: true,
  maxBlockSize: 200,
};

export interface MatchRulesInput extends Partial<Omit<MatchRules, 'weights'>> {
  readonly weights?: Partial<MatchWeights>;
}

const FIELDS: readonly MatchField[] = ['taxNumber', 'email', 'name', 'company', 'displayName', 'phone'];

/** Fills defaults and refuses rules that cannot work, naming the field and the fix. */
export function resolveMatchRules(input: MatchRulesInput = {}): MatchRules {
  const rules: MatchRules = {
    ...DEFAULT_MATCH_RULES,
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    weights: { ...DEFAULT_MATCH_WEIGHTS, ...Object.fromEntries(Object.entries(input.weights ?? {}).filter(([, v]) => v !== undefined)) },
  };
  for (const [i, field] of rules.order.entries()) {
    if (!FIELDS.includes(field)) throw new Error(`rules.order[${i}] is "${String(field)}": use one of ${FIELDS.join(', ')}`);
    if (rules.order.indexOf(field) !== i) throw new Error(`rules.order names "${field}" twice: list each field once`);
  }
  const unit = (name: string, value: number) => {
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`rules.${name} is ${value}: give a number from 0 to 1`);
  };
  unit('autoLinkScore', rules.autoLinkScore);
  unit('suggestionScore', rules.suggestionScore);
  if (rules.suggestionScore > rules.autoLinkScore) {
    throw new Error(`rules.suggestionScore (${rules.suggestionScore}) is above rules.autoLinkScore (${rules.autoLinkScore}): lower it`);
  }
  if (!Number.isInteger(rules.maxSuggestions) || rules.maxSuggestions < 1) throw new Error(`rules.maxSuggestions is ${rules.maxSuggestions}: give a whole number of at least 1`);
  if (!Number.isInteger(rules.maxBlockSize) || rules.maxBlockSize < 1) throw new Error(`rules.maxBlockSize is ${rules.maxBlockSize}: give a whole number of at least 1`);
  for (const [name, value] of Object.entries(rules.weights)) {
    if (!Number.isFinite(value) || Math.abs(value) > 1) throw new Error(`rules.weights.${name} is ${String(value)}: give a number from -1 to 1`);
  }
  return rules;
}
