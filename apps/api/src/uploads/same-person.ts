import type { Contact } from '@ledgerlink/connector-sdk';

export type SamePerson = { readonly same: true; readonly basis: 'email' | 'name' } | { readonly same: false; readonly why: string };

export function normalizeName(name: string | undefined): string {
  return (name ?? '').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function emails(contact: Contact): Set<string> {
  return new Set(contact.emails.map((e) => e.address.trim().toLowerCase()).filter((a) => a.length > 0));
}

/**
 * Whether a remote contact that blocks a create (same display name) is the same person as the
 * local one: a shared email address, or the same display name when neither side has an email.
 */
export function samePerson(local: Contact, remote: Contact): SamePerson {
  const mine = emails(local);
  const theirs = emails(remote);
  if (mine.size > 0 && theirs.size > 0) {
    for (const address of mine) if (theirs.has(address)) return { same: true, basis: 'email' };
    return { same: false, why: 'the email addresses differ' };
  }
  if (mine.size === 0 && theirs.size === 0) {
    return normalizeName(local.displayName) === normalizeName(remote.displayName) ? { same: true, basis: 'name' } : { same: false, why: 'the names differ' };
  }
  return { same: false, why: mine.size > 0 ? 'the existing one has no email address' : 'the existing one has an email address and this contact has none' };
}
