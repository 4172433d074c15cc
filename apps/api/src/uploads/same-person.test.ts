import { Contact } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { samePerson } from './same-person.js';

const contact = (displayName: string, ...addresses: string[]) =>
  Contact.parse({ kind: 'customer', displayName, emails: addresses.map((address) => ({ address })) });

describe('samePerson', () => {
  it.each([
    ['same name and email (case and spacing ignored)', contact('Acme Pty Ltd', 'ops@acme.test'), contact('ACME  Pty Ltd', 'Ops@Acme.test '), { same: true, basis: 'email' }],
    ['same name, neither has an email', contact('Jane Doe'), contact('jane doe'), { same: true, basis: 'name' }],
    ['same name, different emails', contact('Jane Doe', 'jane@a.test'), contact('Jane Doe', 'jane@b.test'), { same: false, why: 'the email addresses differ' }],
    ['only the remote has an email', contact('Jane Doe'), contact('Jane Doe', 'jane@b.test'), { same: false, why: 'the existing one has an email address and this contact has none' }],
    ['only the local has an email', contact('Jane Doe', 'jane@a.test'), contact('Jane Doe'), { same: false, why: 'the existing one has no email address' }],
  ])('%s', (_name, local, remote, expected) => {
    expect(samePerson(local, remote)).toEqual(expected);
  });
});
