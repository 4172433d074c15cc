import type { Contact, ContactKind } from '@ledgerlink/connector-sdk';

/**
 * The comparable form of a contact. Every rule of matching compares these keys, never raw text,
 * so two contacts that differ only in case, spacing, accents, punctuation, the order of
 * "Last, First", a company's legal suffix or the formatting of a phone number compare equal.
 *
 * Decisions (documented here because they change what counts as "the same"):
 * - Text: Unicode NFKD with combining marks removed (José → jose), ß → ss, æ → ae, ø → o, ł → l;
 *   lower case; apostrophes and dots removed inside words (O'Brien → obrien, S.A. → sa);
 *   `&` → `and`; any other punctuation is a space; runs of spaces collapse.
 * - Person names: titles (Mr, Dr, …) dropped; generational suffixes (Jr, Sr, II, …) kept apart so
 *   that a father and son never compare equal; "Last, First" and "First Middle Last" parsed from the
 *   display name when the given/family fields are empty; only the first given name counts.
 * - Company names: legal suffixes at the end are removed repeatedly (Pty Ltd, Limited, Inc, LLC,
 *   GmbH, Co, Corp, plc, S.A., AG, B.V., P/L, …) and a leading "The" is dropped, so
 *   'Acme Pty Ltd' ~ 'ACME Pty. Limited' ~ 'Acme'.
 * - E-mail: trimmed and lower-cased (no provider treats the local part case-sensitively);
 *   a "+tag" sub-address (RFC 5233) is removed for every domain; dots in the local part are
 *   removed for gmail.com/googlemail.com only, because only Google ignores them.
 * - Phone: an extension ("x12", "ext. 12") is cut; digits only; a leading "+" or "00" marks an
 *   international number whose digits start with the country code; otherwise one leading trunk
 *   "0" is dropped. Two numbers are the same when their digits are equal or differ only by a
 *   1–3 digit country-code prefix ("+61 2 9876 5432" ~ "(02) 9876-5432"). Fewer than 7 digits is
 *   not a phone number.
 * - Tax number: letters and digits only, upper case, a two-letter country prefix before an
 *   all-digit number removed (GB123456789 ~ 123 456 789). Fewer than 5 characters is ignored.
 */
export interface NormalisedContact {
  readonly kind: ContactKind;
  /** First given name, normalised; null when the contact has no person name. */
  readonly givenName: string | null;
  /** Family name, normalised (tokens joined by one space). */
  readonly familyName: string | null;
  /** Last word of the family name ('van der berg' → 'berg'), compared when the full family names differ. */
  readonly familyLast: string | null;
  /** Generational suffix (jr, sr, ii, iii, iv), if any. */
  readonly generation: string | null;
  /** Normalised company name without legal suffixes (from companyName, or an organisation-like display name). */
  readonly companyKey: string | null;
  /** Normalised display name without legal suffixes. */
  readonly displayKey: string | null;
  /** Unique normalised e-mail addresses. */
  readonly emails: readonly string[];
  /** Unique normalised phone digit strings. */
  readonly phones: readonly string[];
  readonly taxNumber: string | null;
  /** The contact as given, for the texts a person recognises in reasons (see `contactLabels`). */
  readonly source: Contact;
}

const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h',
};
const SPECIAL_PATTERN = /[ßæœøłđðþıħ]/g;
// eslint-disable-next-line no-control-regex -- the ASCII range is the point
const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, accents folded, apostrophes/dots removed inside words, other punctuation a space. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  return ASCII.test(lower) ? foldAscii(lower) : foldAscii(
    lower.normalize('NFKD').replace(/\p{M}+/gu, '').replace(SPECIAL_PATTERN, (c) => SPECIAL_LETTERS[c] ?? c).replace(/[’‘´]/g, '').replace(/[^\p{L}\p{N}&.'`]+/gu, ' '),
  );
}

/** The hot path of foldText, one pass without regular expressions; letters outside ASCII are kept. */
function foldAscii(lower: string): string {
  let out = '';
  let gap = false;
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code > 127) {
      if (gap && out.length > 0) out += ' ';
      gap = false;
      out += lower[i];
    } else if (code === 39 || code === 46 || code === 96) {
      // ' . ` vanish inside a word: O'Brien → obrien, S.A. → sa
    } else if (code === 38) {
      out += out.length > 0 ? ' and' : 'and';
      gap = true;
    } else {
      gap = true;
    }
  }
  return out;
}

/** Words of recently folded texts, while `withTokenCache` runs; names and companies repeat a lot. */
let tokenCache: Map<string, readonly string[]> | null = null;
const TOKEN_CACHE_LIMIT = 20_000;

/**
 * Runs `work` with the words of every folded text remembered, so a name shared by many contacts
 * is folded once and its words are one string in memory. Synchronous and scoped: the cache is
 * dropped when `work` returns, so results never depend on earlier calls.
 */
export function withTokenCache<T>(work: () => T): T {
  const previous = tokenCache;
  tokenCache = new Map();
  try {
    return work();
  } finally {
    tokenCache = previous;
  }
}

function tokens(text: string): readonly string[] {
  const cache = tokenCache;
  if (cache === null) return foldWords(text);
  let words = cache.get(text);
  if (words === undefined) {
    words = foldWords(text);
    if (cache.size < TOKEN_CACHE_LIMIT) cache.set(text, words);
  }
  return words;
}

/**
 * The words of foldText(text), in one pass over ASCII text (slices, no intermediate string);
 * text with other characters goes through foldText.
 */
function foldWords(text: string): string[] {
  const out: string[] = [];
  let word = ''; // the part of the current word before its last removed ' . `
  let start = -1; // where the rest of the current word starts, -1 outside a word
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code > 127) return foldedTokens(text);
    if (code >= 65 && code <= 90) code += 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (start < 0) start = i;
    } else if (code === 39 || code === 46 || code === 96) {
      if (start >= 0) { word += text.slice(start, i); start = i + 1; }
    } else {
      if (start >= 0) out.push(word + text.slice(start, i));
      else if (word.length > 0) out.push(word);
      word = '';
      start = -1;
      if (code === 38) out.push('and');
    }
  }
  if (start >= 0) out.push(word + text.slice(start));
  else if (word.length > 0) out.push(word);
  if (text.length > 0 && hasUpper(text)) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? '').toLowerCase();
  return out;
}

function hasUpper(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 65 && code <= 90) return true;
  }
  return false;
}

function foldedTokens(text: string): string[] {
  const folded = foldText(text);
  return folded.length === 0 ? [] : folded.split(' ');
}

/** Joins runs of single letters: "p l" → "pl", "s a" → "sa" (from "P/L", "S. A."). */
function joinInitials(parts: readonly string[]): readonly string[] {
  // Most names have no single letters: the words as they are, no copy.
  if (!parts.some((part) => part.length === 1)) return parts;
  const out: string[] = [];
  let run = '';
  for (const part of parts) {
    if (part.length === 1 && /\p{L}/u.test(part)) {
      run += part;
      continue;
    }
    if (run) out.push(run);
    run = '';
    out.push(part);
  }
  if (run) out.push(run);
  return out;
}

const LEGAL_SUFFIXES = new Set([
  'pty', 'ltd', 'limited', 'llc', 'inc', 'incorporated', 'gmbh', 'co', 'corp', 'corporation', 'company', 'plc',
  'sa', 'ag', 'bv', 'nv', 'srl', 'sarl', 'spa', 'sas', 'oy', 'ab', 'kk', 'llp', 'lp', 'pte', 'pvt', 'pl',
  'proprietary', 'lda', 'kg', 'ohg', 'ug', 'sl', 'sro', 'aps', 'asa', 'oyj', 'bhd', 'sdn',
]);

function endsWithLegalSuffix(joined: readonly string[]): boolean {
  const last = joined[joined.length - 1];
  return joined.length > 1 && last !== undefined && LEGAL_SUFFIXES.has(last);
}

function companyKeyOf(joined: readonly string[]): string | null {
  if (joined.length === 0) return null;
  const start = joined.length > 1 && joined[0] === 'the' ? 1 : 0;
  let end = joined.length;
  while (end - start > 1 && (LEGAL_SUFFIXES.has(joined[end - 1] ?? '') || joined[end - 1] === 'and')) end--;
  if (start === 0 && end === joined.length) return joined.length === 1 ? (joined[0] ?? null) : joined.join(' ');
  return joined.slice(start, end).join(' ');
}

/** True when the text ends with a legal suffix (it names an organisation, not a person). */
export function hasLegalSuffix(text: string): boolean {
  return endsWithLegalSuffix(joinInitials(tokens(text)));
}

/** 'ACME Pty. Limited' → 'acme'; 'Smith & Co' → 'smith'; 'The Widget Company' → 'widget'. */
export function normaliseCompanyName(text: string): string | null {
  return companyKeyOf(joinInitials(tokens(text)));
}

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'rev', 'fr']);
const GENERATIONS = new Set(['jr', 'junior', 'sr', 'senior', 'ii', 'iii', 'iv']);
const GENERATION_KEY: Readonly<Record<string, string>> = { junior: 'jr', senior: 'sr' };

interface PersonName { readonly given: string; readonly family: string; readonly generation: string | null }

function splitGeneration(parts: readonly string[]): { parts: readonly string[]; generation: string | null } {
  const last = parts[parts.length - 1];
  if (parts.length > 1 && last !== undefined && GENERATIONS.has(last)) {
    return { parts: parts.slice(0, -1), generation: GENERATION_KEY[last] ?? last };
  }
  return { parts, generation: null };
}

function personFromTokens(parts: readonly string[]): PersonName | null {
  const all = splitGeneration(parts.filter((t, i) => i > 0 || !TITLES.has(t)));
  const given = all.parts[0];
  const family = all.parts[all.parts.length - 1];
  if (all.parts.length < 2 || given === undefined || family === undefined) return null;
  return { given, family, generation: all.generation };
}

/** Parses "Smith, John", "Dr John Michael Smith Jr." or "John Smith" into given and family names. */
export function parsePersonName(text: string, folded?: readonly string[]): PersonName | null {
  const comma = text.indexOf(',');
  if (comma > 0) {
    const family = tokens(text.slice(0, comma));
    const rest = splitGeneration(tokens(text.slice(comma + 1)).filter((t) => !TITLES.has(t)));
    const given = rest.parts[0];
    if (family.length > 0 && given !== undefined && !GENERATIONS.has(given)) {
      return { given, family: family.join(' '), generation: rest.generation };
    }
  }
  return personFromTokens(folded ?? tokens(text));
}

function personName(contact: Contact, displayIsCompany: boolean, displayTokens: readonly string[]): PersonName | null {
  const given = contact.givenName ? tokens(contact.givenName).find((t) => !TITLES.has(t)) : undefined;
  const familySplit = splitGeneration(contact.familyName ? tokens(contact.familyName) : []);
  if (given !== undefined && familySplit.parts.length > 0) {
    const suffix = contact.suffix ? tokens(contact.suffix).find((t) => GENERATIONS.has(t)) : undefined;
    const generation = suffix ? (GENERATION_KEY[suffix] ?? suffix) : familySplit.generation;
    return { given, family: familySplit.parts.join(' '), generation };
  }
  if (contact.displayName && !displayIsCompany) return parsePersonName(contact.displayName, displayTokens);
  return null;
}

const GMAIL = new Set(['gmail.com', 'googlemail.com']);

/** 'Jo.Bloggs+invoices@GoogleMail.com ' → 'jobloggs@gmail.com'; null when it is not an address. */
export function normaliseEmail(address: string): string | null {
  const trimmed = address.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  // Most addresses need no change: no "+tag", no Gmail, no trailing dot. Keep the string as is.
  const tag = trimmed.indexOf('+');
  if ((tag <= 0 || tag > at) && trimmed.charCodeAt(trimmed.length - 1) !== 46 && !trimmed.endsWith('@gmail.com') && !trimmed.endsWith('@googlemail.com')) {
    return trimmed.indexOf('.', at + 1) === -1 ? null : trimmed;
  }
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1);
  if (domain.endsWith('.')) domain = domain.replace(/\.+$/, '');
  const plus = local.indexOf('+');
  let changed = domain.length !== trimmed.length - at - 1;
  if (plus > 0) { local = local.slice(0, plus); changed = true; }
  if (GMAIL.has(domain)) {
    if (local.includes('.')) { local = local.replaceAll('.', ''); changed = true; }
    if (domain !== 'gmail.com') { domain = 'gmail.com'; changed = true; }
  }
  if (local.length === 0 || !domain.includes('.')) return null;
  // Unchanged addresses keep their string: no copy to allocate and hash again.
  return changed ? `${local}@${domain}` : trimmed;
}

/** '+61 (2) 9876-5432 ext. 7' → '61298765432'; '(02) 9876 5432' → '298765432'; null when too short. */
export function normalisePhone(number: string): string | null {
  const withoutExtension = /[a-z#]/i.test(number) ? number.replace(/\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i, '').trim() : number.trim();
  let digits = withoutExtension.replace(/\D/g, '');
  const international = withoutExtension.startsWith('+') || digits.startsWith('00');
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (!international && digits.startsWith('0')) digits = digits.slice(1);
  return digits.length >= 7 ? digits : null;
}

/** Same number: equal digits, or one is the other with a 1–3 digit country code in front. */
export function samePhone(a: string, b: string): boolean {
  if (a === b) return true;
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  const extra = long.length - short.length;
  return short.length >= 8 && extra <= 3 && long.endsWith(short);
}

/** 'GB 123 456 789' → '123456789'; '51 824 753 556' → '51824753556'. */
export function normaliseTaxNumber(value: string): string | null {
  let key = value.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (/^[A-Z]{2}\d{6,}$/.test(key)) key = key.slice(2);
  return key.length >= 5 ? key : null;
}

function uniqueEmails(contact: Contact): string[] {
  const out: string[] = [];
  for (const e of contact.emails) {
    const v = normaliseEmail(e.address);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** Fax numbers are left out: a shared office fax says nothing about who a contact is. */
function uniquePhones(contact: Contact): string[] {
  const out: string[] = [];
  for (const p of contact.phones) {
    if (p.type === 'fax') continue;
    const v = normalisePhone(p.number);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

export function normaliseContact(contact: Contact): NormalisedContact {
  const companyKey = contact.companyName ? normaliseCompanyName(contact.companyName) : null;
  const displayTokens = contact.displayName ? tokens(contact.displayName) : [];
  const displayJoined = joinInitials(displayTokens);
  const displayKey = companyKeyOf(displayJoined);
  // A display name is an organisation's when it carries a legal suffix or equals the company name.
  const displayIsCompany = displayKey !== null && (endsWithLegalSuffix(displayJoined) || displayKey === companyKey);
  const person = personName(contact, displayIsCompany, displayTokens);
  const emails = uniqueEmails(contact);
  const orgKey = companyKey ?? (displayIsCompany ? displayKey : null);
  return {
    kind: contact.kind,
    givenName: person?.given ?? null,
    familyName: person?.family ?? null,
    generation: person?.generation ?? null,
    companyKey: orgKey,
    displayKey,
    familyLast: person ? person.family.slice(person.family.lastIndexOf(' ') + 1) : null,
    emails,
    phones: uniquePhones(contact),
    taxNumber: contact.taxNumber ? normaliseTaxNumber(contact.taxNumber) : null,
    source: contact,
  };
}

/** The e-mail's local part without dots ('jo.bloggs@x.com' → 'jobloggs'). */
export function emailLocalPart(email: string): string {
  const local = email.slice(0, email.lastIndexOf('@'));
  return local.includes('.') ? local.replaceAll('.', '') : local;
}

/** The texts of a normalised contact a person recognises: its name, company and display name as written. */
export function contactLabels(n: NormalisedContact): { name: string | null; company: string | null; display: string | null } {
  const c = n.source;
  return {
    name: n.givenName === null ? null : ([c.givenName, c.familyName].filter(Boolean).join(' ') || (c.displayName ?? null)),
    company: n.companyKey === null ? null : (c.companyName ?? c.displayName ?? null),
    display: c.displayName ?? null,
  };
}
