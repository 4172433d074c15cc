import { describe, expect, it } from 'vitest';
import { createContact, duplicateNameMessage, mergeContacts, updateContact, upsertContact } from './contacts.js';
import { ElementError } from './errors.js';
import { XeroStore } from './store.js';

function setup(): { ctx: { org: ReturnType<XeroStore['createOrganisation']>; store: XeroStore; now: number } } {
  const store = new XeroStore();
  const org = store.createOrganisation({ name: 'Test (AU)', createdMs: 0 });
  return { ctx: { org, store, now: 1_000 } };
}

function messages(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ElementError) return error.messages;
    throw error;
  }
  throw new Error('expected an ElementError');
}

describe('contact name uniqueness', () => {
  it('refuses an ACTIVE duplicate ignoring case and runs of blanks, with Xero’s message', () => {
    const { ctx } = setup();
    createContact(ctx, { Name: 'Buzz Lightyear' });
    expect(messages(() => createContact(ctx, { Name: 'buzz   LIGHTYEAR ' }))).toEqual([duplicateNameMessage('buzz   LIGHTYEAR')]);
    expect(duplicateNameMessage('Buzz Lightyear')).toBe(
      'The contact name Buzz Lightyear is already assigned to another contact. The contact name must be unique across all active contacts.',
    );
  });

  it('frees the name when its holder is archived or merged, and blocks restoring it while taken', () => {
    const { ctx } = setup();
    const first = createContact(ctx, { Name: 'Woody' });
    updateContact(ctx, first, { ContactStatus: 'ARCHIVED' });
    const second = createContact(ctx, { Name: 'Woody' });
    expect(second.status).toBe('ACTIVE');
    expect(messages(() => updateContact(ctx, first, { ContactStatus: 'ACTIVE' }))).toEqual([duplicateNameMessage('Woody')]);

    const third = createContact(ctx, { Name: 'Jessie' });
    mergeContacts(ctx, third, second);
    expect(third).toMatchObject({ status: 'ARCHIVED', mergedToContactId: second.id });
    expect(createContact(ctx, { Name: 'Jessie' }).status).toBe('ACTIVE');
  });

  it('lets a contact keep or re-case its own name, but not take another active one by rename', () => {
    const { ctx } = setup();
    const rex = createContact(ctx, { Name: 'Rex' });
    createContact(ctx, { Name: 'Hamm' });
    expect(updateContact(ctx, rex, { Name: 'REX' }).fields.Name).toBe('REX');
    expect(messages(() => upsertContact(ctx, { ContactID: rex.id, Name: 'hamm' }))).toEqual([duplicateNameMessage('hamm')]);
  });

  it('needs a name to create and reports every problem of the element at once', () => {
    const { ctx } = setup();
    expect(messages(() => createContact(ctx, { EmailAddress: 'not-an-email' }))).toEqual(['Contact Name cannot be empty.', 'Email address must be valid.']);
  });
});
