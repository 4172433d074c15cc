import type { Contact, ContactKind, RemoteStatus } from '@ledgerlink/connector-sdk';

/** A remote record whose name may collide (QBO: customers, vendors and employees; Xero: contacts). */
export interface ExistingName {
  readonly remoteId: string;
  readonly name: string;
  /** 'contact' for providers with one contact list (Xero), which serves customers and suppliers alike. */
  readonly entity: ContactKind | 'employee' | 'contact';
  readonly status: RemoteStatus;
}

/**
 * Which remote names block a name:
 * - all_records: every record but deleted ones, active or not (QBO: unique across customers,
 *   vendors and employees, inactive included)
 * - active_only: active records only (Xero: unique among active contacts)
 * Names compare trimmed, with runs of white space collapsed and case ignored (providers' exact
 * rule is not documented, so the cautious reading).
 */
export type NameUniqueness = 'all_records' | 'active_only';

/**
 * How to make a free name, tried in order:
 * - counter: "Acme (2)", "Acme (3)", ...
 * - city: "Acme - Sydney" (the contact's billing, else shipping, city)
 * - pattern: tokens {name}, {externalId}, {city}, {email}, {n} (a counter from 2), e.g. "{name} ({externalId})"
 */
export type RenameRule = { readonly kind: 'counter' } | { readonly kind: 'city' } | { readonly kind: 'pattern'; readonly pattern: string };

export interface CollisionPolicy {
  /** Link to the existing record when it is the same person by the matching rules (default true). */
  readonly adoptSamePerson?: boolean;
  /** What to do when the name belongs to someone else (default 'rename'). */
  readonly onCollision?: 'rename' | 'refuse';
  /** Default [{ kind: 'counter' }]. */
  readonly renameRules?: readonly RenameRule[];
  /** Highest counter tried by counter and {n} (default 99). */
  readonly maxCounter?: number;
}

export interface ResolveNameCollisionInput {
  readonly desiredName: string;
  readonly contact: Contact;
  /** The host's id of the contact, for {externalId}. */
  readonly externalId: string;
  /**
   * Every remote record whose name could collide: at least those whose name starts with the
   * desired name (QBO: DisplayName LIKE 'Acme%'), and any a rename rule could produce.
   */
  readonly existing: readonly ExistingName[];
  readonly uniqueness: NameUniqueness;
  readonly policy: CollisionPolicy;
  /** The matching rules' verdict: is this existing record the same person as the contact? */
  readonly samePerson: (existing: ExistingName) => boolean;
  /** The provider's maximum name length (QBO DisplayName 500, Xero Name 255). */
  readonly maxLength: number;
  /** Shown in reasons, e.g. "QuickBooks". */
  readonly providerName?: string;
}

export type NameDecision =
  | { readonly action: 'create'; readonly name: string; readonly reason: string }
  | { readonly action: 'adopt'; readonly remoteId: string; readonly name: string; readonly reason: string }
  | { readonly action: 'rename'; readonly name: string; readonly reason: string }
  | { readonly action: 'refuse'; readonly reason: string };

/** The comparison key of a name. */
export function normaliseDisplayName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

const TOKENS = new Set(['name', 'externalId', 'city', 'email', 'n']);

function cut(text: string, max: number): string {
  if (max <= 0) return '';
  let out = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return out.trimEnd();
}

/** Renders "{name} ({n})" style patterns, shortening {name} so the result fits maxLength. */
function render(pattern: string, values: Readonly<Record<string, string>>, maxLength: number): string | null {
  const parts = pattern.split(/(\{\w+\})/);
  const fixed = parts.map((part) => {
    const token = /^\{(\w+)\}$/.exec(part)?.[1];
    return token === undefined ? part : token === 'name' ? '' : (values[token] ?? '');
  }).join('');
  const nameRoom = maxLength - fixed.length;
  const name = values.name ?? '';
  if (pattern.includes('{name}') && nameRoom < Math.min(name.length, 1)) return null;
  const shortName = cut(name, nameRoom);
  const result = parts.map((part) => {
    const token = /^\{(\w+)\}$/.exec(part)?.[1];
    return token === undefined ? part : token === 'name' ? shortName : (values[token] ?? '');
  }).join('').trim().replace(/\s+/g, ' ');
  return result.length > 0 && result.length <= maxLength ? result : null;
}

/**
 * Decides how to create a contact whose name the provider requires to be unique. Never a blind
 * create: a free name is created as is; a taken name is adopted when the holder is the same person
 * (and active, and of the same kind), else renamed by the policy's rules, else refused with a
 * reason that says what to do.
 */
export function resolveNameCollision(input: ResolveNameCollisionInput): NameDecision {
  const provider = input.providerName ?? 'the remote system';
  const policy = input.policy;
  const desired = input.desiredName.trim().replace(/\s+/g, ' ');
  if (desired === '') return { action: 'refuse', reason: 'The contact has no name to create it with: fill its display name' };
  if (desired.length > input.maxLength) {
    return { action: 'refuse', reason: `"${desired.slice(0, 40)}…" is longer than the ${input.maxLength} characters ${provider} allows: shorten the contact's display name` };
  }
  const blocking = input.existing.filter((e) => (input.uniqueness === 'active_only' ? e.status === 'active' : e.status !== 'deleted'));
  const key = normaliseDisplayName(desired);
  const holders = blocking.filter((e) => normaliseDisplayName(e.name) === key);
  if (holders.length === 0) return { action: 'create', name: desired, reason: `No record in ${provider} uses the name "${desired}"` };

  const sameKind = (e: ExistingName) => e.entity === 'contact' || e.entity === input.contact.kind;
  if (policy.adoptSamePerson ?? true) {
    const same = holders.filter((e) => sameKind(e) && input.samePerson(e));
    const active = same.filter((e) => e.status === 'active');
    if (active.length > 1) {
      return { action: 'refuse', reason: `${active.length} records in ${provider} named "${desired}" look like this contact (${active.map((e) => e.remoteId).join(', ')}): link one of them by hand` };
    }
    const only = active[0];
    if (only) return { action: 'adopt', remoteId: only.remoteId, name: only.name, reason: `"${only.name}" (${only.remoteId}) in ${provider} is this contact by the matching rules: link to it instead of creating another` };
    const dormant = same[0];
    if (dormant) {
      return { action: 'refuse', reason: `"${dormant.name}" (${dormant.remoteId}) in ${provider} is this contact but is ${dormant.status}: make it active in ${provider}, then link it` };
    }
  }
  const holder = holders[0] as ExistingName;
  const otherKind = !sameKind(holder) && input.samePerson(holder);
  const clash = `${provider} already has a ${holder.status === 'active' ? '' : `${holder.status} `}${holder.entity} named "${holder.name}" (${holder.remoteId}) ${
    otherKind ? `that looks like this contact, but a ${input.contact.kind} cannot be linked to a ${holder.entity}` : 'that is not this contact'
  }`;
  if ((policy.onCollision ?? 'rename') === 'refuse') {
    return { action: 'refuse', reason: `${clash}: rename the contact, link it by hand, or allow renaming in the connection's settings` };
  }
  const taken = new Set(blocking.map((e) => normaliseDisplayName(e.name)));
  const address = input.contact.addresses.find((a) => a.type === 'billing' && a.city) ?? input.contact.addresses.find((a) => a.city);
  const values: Record<string, string> = {
    name: desired,
    externalId: input.externalId,
    city: address?.city?.trim() ?? '',
    email: input.contact.emails[0]?.address ?? '',
  };
  const maxCounter = policy.maxCounter ?? 99;
  const tried: string[] = [];
  for (const rule of policy.renameRules ?? [{ kind: 'counter' }]) {
    const pattern = rule.kind === 'counter' ? '{name} ({n})' : rule.kind === 'city' ? '{name} - {city}' : rule.pattern;
    const unknown = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').filter((t) => !TOKENS.has(t));
    if (unknown.length > 0) {
      return { action: 'refuse', reason: `The rename pattern "${pattern}" uses unknown ${unknown.map((t) => `{${t}}`).join(', ')}: use {name}, {externalId}, {city}, {email} or {n}` };
    }
    const needs = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    if (needs.some((t) => t !== 'n' && t !== 'name' && (values[t] ?? '') === '')) {
      tried.push(`${pattern} (the contact has no ${needs.filter((t) => t !== 'n' && t !== 'name' && (values[t] ?? '') === '').join(', ')})`);
      continue;
    }
    const counters = pattern.includes('{n}') ? Array.from({ length: Math.max(0, maxCounter - 1) }, (_, i) => String(i + 2)) : [''];
    for (const n of counters) {
      const name = render(pattern, { ...values, n }, input.maxLength);
      if (name !== null && !taken.has(normaliseDisplayName(name))) {
        return { action: 'rename', name, reason: `${clash}: creating it as "${name}"` };
      }
    }
    tried.push(pattern);
  }
  return { action: 'refuse', reason: `${clash}, and no rename rule gave a free name (tried ${tried.join('; ')}): rename the contact or link it by hand` };
}
