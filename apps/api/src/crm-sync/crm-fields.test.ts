import { Contact } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { applyValues, defaultDirections, directionsFromRules, policyFromSettings, readBase, readValues } from './crm-fields.js';
import { crmPollIntervalMs } from './crm-sync.queue.js';

describe('directionsFromRules', () => {
  it('reads each enabled rule as its direction, merges two rules of one field, and marks disabled ones off', () => {
    const rules = [
      { source: 'emails[primary]', target: 'email', enabled: true, direction: 'in' },
      { source: 'emails[primary]', target: 'work_email', enabled: true, direction: 'out' },
      { source: 'phones[primary]', target: 'phone', enabled: false, direction: 'both' },
      { source: 'givenName', target: 'firstname', enabled: true, direction: 'out' },
    ];
    expect(directionsFromRules(rules)).toEqual({ 'emails[primary]': 'both', 'phones[primary]': 'off', givenName: 'out' });
  });

  it('gives null for no usable rules, so the default applies', () => {
    expect(directionsFromRules([])).toBeNull();
    expect(directionsFromRules({ rules: 'x' })).toBeNull();
    expect(directionsFromRules([{ source: 'givenName', direction: 'sideways', enabled: true }])).toBeNull();
  });

  it('defaults to names, e-mail, phones and billing address both ways', () => {
    const defaults = defaultDirections();
    expect(defaults['phones[primary]']).toBe('both');
    expect(defaults['emails[primary]']).toBe('both');
    expect(defaults.displayName).toBeUndefined();
  });
});

describe('policyFromSettings', () => {
  it('merges the owners of every connection and keeps valid values only', () => {
    const policy = policyFromSettings([
      { conflictPolicy: { owners: { 'phones[primary]': 'accounting', givenName: 'nobody' } } },
      { pull: {} },
      { conflictPolicy: { owners: { 'emails[primary]': 'crm' }, tieBreaker: 'theirs' } },
      null,
    ]);
    expect(policy).toEqual({ owners: { 'phones[primary]': 'accounting', 'emails[primary]': 'crm' }, tieBreaker: 'theirs' });
  });

  it('is the last writer with no owners when no connection sets one', () => {
    expect(policyFromSettings([{}, {}])).toEqual({ owners: {} });
  });
});

describe('reading and writing canonical values', () => {
  const contact = Contact.parse({ kind: 'customer', displayName: 'Ada', emails: [{ address: 'ada@engine.example', type: 'primary' }], phones: [] });

  it('reads absent fields as null and writes values back', () => {
    expect(readValues(contact, ['emails[primary]', 'phones[primary]'])).toEqual({ 'emails[primary]': 'ada@engine.example', 'phones[primary]': null });
    const next = applyValues(contact, { 'phones[primary]': '+1 555 0100', 'emails[primary]': null });
    expect(readValues(next, ['emails[primary]', 'phones[primary]'])).toEqual({ 'emails[primary]': null, 'phones[primary]': '+1 555 0100' });
  });

  it('reads a stored base, dropping what is not a string or null', () => {
    expect(readBase({ a: 'x', b: null, c: 3 })).toEqual({ a: 'x', b: null });
    expect(readBase(null)).toBeNull();
    expect(readBase(['x'])).toBeNull();
  });
});

describe('crmPollIntervalMs', () => {
  it('defaults to 10 s and takes a whole number of milliseconds', () => {
    expect(crmPollIntervalMs({})).toBe(10_000);
    expect(crmPollIntervalMs({ LEDGERLINK_CRM_POLL_MS: '2500' })).toBe(2500);
  });

  it('refuses a value out of range, naming the variable and the fix', () => {
    expect(() => crmPollIntervalMs({ LEDGERLINK_CRM_POLL_MS: '10' })).toThrow(/LEDGERLINK_CRM_POLL_MS="10".*between 250 and 3600000/);
    expect(() => crmPollIntervalMs({ LEDGERLINK_CRM_POLL_MS: 'soon' })).toThrow(/LEDGERLINK_CRM_POLL_MS/);
  });
});
