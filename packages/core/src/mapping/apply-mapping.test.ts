import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, FieldRule } from './field-mapping.js';
import { applyMapping } from './apply-mapping.js';
import { validateMapping } from './validate-mapping.js';
import { previewMapping } from './preview-mapping.js';
import { selectMappingVersion } from './select-mapping-version.js';

const catalog: FieldSpec[] = [
  { id: 'DisplayName', label: 'Display name', type: 'string', maxLength: 20, required: true, canonical: 'displayName' },
  { id: 'CompanyName', label: 'Company name', type: 'string', maxLength: 10, canonical: 'companyName' },
  { id: 'PrimaryEmailAddr.Address', label: 'Email', type: 'email', maxLength: 100, canonical: 'emails[primary]' },
  { id: 'PrimaryPhone.FreeFormNumber', label: 'Phone', type: 'phone', maxLength: 30, canonical: 'phones[primary]' },
  { id: 'BillAddr.City', label: 'Billing city', type: 'string', maxLength: 255, canonical: 'addresses[billing].city' },
  { id: 'Balance', label: 'Balance', type: 'money', writable: false },
  { id: 'BankAccountNumber', label: 'Bank account', type: 'string', secure: true },
];

const rule = (source: string, target: string, extra: Partial<FieldRule> = {}): FieldRule => ({
  source, target, enabled: true, direction: 'out', transform: { kind: 'none' }, ...extra,
});

const base: FieldMapping = {
  version: 1,
  effectiveFrom: '2026-01-01T00:00:00Z',
  rules: [
    rule('displayName', 'DisplayName', { transform: { kind: 'trim' } }),
    rule('companyName', 'CompanyName', { overLength: 'truncate' }),
    rule('emails[primary]', 'PrimaryEmailAddr.Address', { transform: { kind: 'lower' } }),
    rule('phones[primary]', 'PrimaryPhone.FreeFormNumber', { transform: { kind: 'phone_e164', defaultCallingCode: '61' } }),
  ],
};

const contact = (over: Partial<Contact> = {}): Contact => ({
  kind: 'customer', displayName: ' Acme  Pty Ltd ', companyName: 'Acme Proprietary Limited',
  emails: [{ address: 'Accounts@Acme.example', type: 'work' }], phones: [{ number: '(02) 9999 1234', type: 'primary' }],
  addresses: [{ type: 'billing', lines: ['1 George St'], city: 'Sydney' }], customFields: {}, ...over,
});

describe('validateMapping', () => {
  it('accepts a sound mapping', () => {
    expect(validateMapping(base, catalog)).toEqual([]);
  });

  it.each<[string, FieldRule[], string, RegExp, RegExp]>([
    ['a required field switched off', [rule('displayName', 'DisplayName', { enabled: false })], 'DisplayName', /Mapping is missing required field Display name \(DisplayName\)/, /displayName/],
    ['a required field only read in', [rule('displayName', 'DisplayName', { direction: 'in' })], 'DisplayName', /missing required field/, /direction out or both/],
    ['a secure target', [rule('displayName', 'DisplayName'), rule('notes', 'BankAccountNumber')], 'BankAccountNumber', /secure data/, /remove this rule/],
    ['a read-only target written', [rule('displayName', 'DisplayName'), rule('notes', 'Balance')], 'Balance', /read-only/, /direction to "in"/],
    ['an unknown target', [rule('displayName', 'DisplayName'), rule('companyName', 'Company')], 'Company', /not a field/, /Company name \(CompanyName\)/],
    ['an unknown source', [rule('displayName', 'DisplayName'), rule('nickname', 'CompanyName')], 'CompanyName', /not a contact field/, /choose a contact field/],
    ['two rules writing one target', [rule('displayName', 'DisplayName'), rule('companyName', 'DisplayName')], 'DisplayName', /2 rules write DisplayName/, /keep one/],
    ['a truncate without a length', [rule('displayName', 'DisplayName', { transform: { kind: 'truncate', maxLength: 0 } })], 'DisplayName', /truncates to 0/, /whole number/],
  ])('refuses %s, naming the field and the fix', (_name, rules, field, message, fix) => {
    const problems = validateMapping({ ...base, rules }, catalog);
    const problem = problems.find((p) => p.field === field);
    expect(problem?.message).toMatch(message);
    expect(problem?.fix).toMatch(fix);
  });

  it('refuses an effectiveFrom that is not a date', () => {
    expect(validateMapping({ ...base, effectiveFrom: 'tomorrow' }, catalog)).toMatchObject([{ field: 'effectiveFrom', code: 'bad_effective_from' }]);
  });
});

describe('applyMapping', () => {
  it('maps, transforms and enforces each field\'s length policy', () => {
    const { payload, problems } = applyMapping(contact(), base, catalog);
    expect(problems).toEqual([]);
    expect(payload).toEqual({
      DisplayName: 'Acme Pty Ltd',
      CompanyName: 'Acme Propr',
      'PrimaryEmailAddr.Address': 'accounts@acme.example',
      'PrimaryPhone.FreeFormNumber': '+61299991234',
    });
  });

  it('rejects a value over the limit when the policy is reject (the default)', () => {
    const { payload, problems } = applyMapping(contact({ displayName: 'A name far too long for it' }), base, catalog);
    expect(payload.DisplayName).toBeUndefined();
    expect(problems).toMatchObject([{ field: 'DisplayName', code: 'too_long', message: expect.stringMatching(/at most 20 characters/) as unknown, fix: expect.stringMatching(/shorten displayName/) as unknown }]);
  });

  it('reports a missing required value and a failed transform', () => {
    const { problems } = applyMapping(contact({ displayName: '  ', phones: [{ number: 'call reception', type: 'primary' }] }), base, catalog);
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['DisplayName', 'required_value_missing'],
      ['PrimaryPhone.FreeFormNumber', 'transform_failed'],
    ]);
  });

  it('leaves out disabled, inbound-only and refused rules', () => {
    const mapping: FieldMapping = {
      ...base,
      rules: [
        rule('displayName', 'DisplayName'),
        rule('companyName', 'CompanyName', { enabled: false }),
        rule('addresses[billing].city', 'BillAddr.City', { direction: 'in' }),
        rule('notes', 'BankAccountNumber'),
      ],
    };
    const { payload, problems } = applyMapping(contact({ displayName: 'Acme', notes: '123-456' }), mapping, catalog);
    expect(payload).toEqual({ DisplayName: 'Acme' });
    expect(problems).toMatchObject([{ field: 'BankAccountNumber', code: 'secure_target' }]);
  });

  it('never sends a secure field, a value over its limit, or an empty value, whatever the mapping', () => {
    const targets = catalog.map((s) => s.id);
    const sources = ['displayName', 'companyName', 'notes', 'emails[primary]', 'phones[primary]', 'addresses[billing].city', 'customFields.x'];
    const arbRule = fc.record({
      source: fc.constantFrom(...sources),
      target: fc.constantFrom(...targets),
      enabled: fc.boolean(),
      direction: fc.constantFrom('out' as const, 'in' as const, 'both' as const),
      transform: fc.constantFrom({ kind: 'none' as const }, { kind: 'trim' as const }, { kind: 'upper' as const }),
      overLength: fc.constantFrom('reject' as const, 'truncate' as const),
    });
    fc.assert(
      fc.property(fc.array(arbRule, { maxLength: 8 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (rules, name, notes) => {
        const { payload } = applyMapping(contact({ displayName: name, notes, customFields: { x: notes } }), { ...base, rules }, catalog);
        for (const [field, value] of Object.entries(payload)) {
          const spec = catalog.find((s) => s.id === field);
          expect(spec?.secure).not.toBe(true);
          expect(spec?.writable).not.toBe(false);
          expect(value).not.toBe('');
          if (spec?.maxLength !== undefined) expect(value.length).toBeLessThanOrEqual(spec.maxLength);
        }
      }),
    );
  });
});

describe('previewMapping', () => {
  it('shows per record what a mapping change would add, change and remove, and new problems', () => {
    const next: FieldMapping = {
      version: 2,
      effectiveFrom: '2026-02-01T00:00:00Z',
      rules: [
        rule('displayName', 'DisplayName', { transform: { kind: 'upper' } }),
        rule('emails[primary]', 'PrimaryEmailAddr.Address', { transform: { kind: 'lower' } }),
        rule('addresses[billing].city', 'BillAddr.City'),
        rule('phones[primary]', 'PrimaryPhone.FreeFormNumber', { transform: { kind: 'phone_e164' } }),
      ],
    };
    const preview = previewMapping(base, next, [{ id: 'c1', contact: contact() }, { id: 'c2', contact: contact({ displayName: 'ACME', companyName: undefined, phones: [], addresses: [] }) }], catalog);
    expect(preview.records[0]).toEqual({
      id: 'c1',
      changes: [
        { field: 'BillAddr.City', change: 'added', before: null, after: 'Sydney' },
        { field: 'CompanyName', change: 'removed', before: 'Acme Propr', after: null },
        { field: 'DisplayName', change: 'changed', before: 'Acme Pty Ltd', after: ' ACME  PTY LTD ' },
        { field: 'PrimaryPhone.FreeFormNumber', change: 'removed', before: '+61299991234', after: null },
      ],
      newProblems: [expect.objectContaining({ field: 'PrimaryPhone.FreeFormNumber', code: 'transform_failed' })],
    });
    expect(preview.records[1]).toEqual({ id: 'c2', changes: [], newProblems: [] });
    expect(preview.summary).toEqual({ records: 2, changed: 1, withNewProblems: 1 });
  });
});

describe('previewMapping, whatever the records', () => {
  it('shows no change when the mapping is the same, and shows exactly the fields whose values differ', () => {
    const arbContact = fc.record({
      displayName: fc.string({ maxLength: 25 }),
      companyName: fc.option(fc.string({ maxLength: 15 }), { nil: undefined }),
      email: fc.option(fc.emailAddress(), { nil: undefined }),
    }).map(({ displayName, companyName, email }): Contact => contact({ displayName, ...(companyName === undefined ? {} : { companyName }), emails: email ? [{ address: email, type: 'primary' }] : [] }));
    const upper: FieldMapping = { ...base, version: 2, rules: base.rules.map((r) => (r.target === 'DisplayName' ? { ...r, transform: { kind: 'upper' } } : r)) };
    fc.assert(
      fc.property(fc.array(arbContact, { maxLength: 5 }), (contacts) => {
        const samples = contacts.map((c, i) => ({ id: `c${i}`, contact: c }));
        expect(previewMapping(base, base, samples, catalog).summary.changed).toBe(0);
        const preview = previewMapping(base, upper, samples, catalog);
        preview.records.forEach((record, i) => {
          for (const change of record.changes) expect(change.field).toBe('DisplayName');
          const before = applyMapping(contacts[i] as Contact, base, catalog).payload.DisplayName ?? null;
          const after = applyMapping(contacts[i] as Contact, upper, catalog).payload.DisplayName ?? null;
          expect(record.changes.length).toBe(before === after ? 0 : 1);
        });
      }),
    );
  });
});

describe('selectMappingVersion', () => {
  const v2: FieldMapping = { ...base, version: 2, effectiveFrom: '2026-03-01T00:00:00Z' };
  it.each<[string, number | null]>([
    ['2025-12-31T23:59:59Z', null],
    ['2026-01-01T00:00:00Z', 1],
    ['2026-02-28T12:00:00Z', 1],
    ['2026-03-01T00:00:00Z', 2],
  ])('at %s version %s is in force', (at, version) => {
    expect(selectMappingVersion([v2, base], at)?.version ?? null).toBe(version);
  });

  it('refuses a time that is not a timestamp', () => {
    expect(() => selectMappingVersion([base], 'now')).toThrow(/at: "now"/);
  });
});
