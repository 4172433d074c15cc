import { describe, expect, it } from 'vitest';
import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import { defaultMapping } from './default-mapping.js';
import { reviseMapping } from './revise-mapping.js';
import { validateMapping } from './validate-mapping.js';
import { applyMapping } from './apply-mapping.js';

const catalog: FieldSpec[] = [
  { id: 'DisplayName', label: 'Display name', type: 'string', maxLength: 500, required: true, canonical: 'displayName' },
  { id: 'PrimaryEmailAddr.Address', label: 'Email', type: 'email', maxLength: 100, canonical: 'emails[primary]' },
  { id: 'Mobile.FreeFormNumber', label: 'Mobile', type: 'phone', maxLength: 30, canonical: 'phones[mobile]' },
  { id: 'Notes', label: 'Notes', type: 'string', maxLength: 5, canonical: 'notes' },
  { id: 'Balance', label: 'Balance', type: 'money', writable: false, canonical: 'customFields.balance' },
  { id: 'BankAccount', label: 'Bank account', type: 'string', secure: true, canonical: 'customFields.bank' },
  { id: 'Unmapped', label: 'Unmapped', type: 'string' },
];

describe('defaultMapping', () => {
  const mapping = defaultMapping(catalog, '2026-01-01T00:00:00Z');

  it('maps every catalog field with a canonical counterpart except secure ones, and is valid', () => {
    expect(mapping.version).toBe(1);
    expect(mapping.rules.map((r) => [r.target, r.direction, r.transform.kind, r.overLength])).toEqual([
      ['DisplayName', 'out', 'trim', 'reject'],
      ['PrimaryEmailAddr.Address', 'out', 'trim', 'reject'],
      ['Mobile.FreeFormNumber', 'out', 'none', 'reject'],
      ['Notes', 'out', 'trim', 'truncate'],
      ['Balance', 'in', 'none', 'reject'],
    ]);
    expect(validateMapping(mapping, catalog)).toEqual([]);
  });

  it('sends a contact as the provider needs it', () => {
    const contact: Contact = { kind: 'customer', displayName: ' Acme ', notes: 'long notes', emails: [], phones: [], addresses: [], customFields: { bank: '123' } };
    expect(applyMapping(contact, mapping, catalog)).toEqual({ payload: { DisplayName: 'Acme', Notes: 'long' }, problems: [] });
  });
});

describe('reviseMapping', () => {
  const v1 = defaultMapping(catalog, '2026-01-01T00:00:00Z');

  it('makes the next version, in force from now', () => {
    const result = reviseMapping({ current: v1, rules: v1.rules.slice(0, 2), catalog, now: '2026-02-01T00:00:00Z' });
    expect(result).toEqual({ ok: true, mapping: { version: 2, effectiveFrom: '2026-02-01T00:00:00Z', rules: v1.rules.slice(0, 2) } });
  });

  it('refuses a change back-dated into the past (never retroactive) and a required field switched off', () => {
    const result = reviseMapping({ current: v1, rules: v1.rules.slice(1), catalog, now: '2026-02-01T00:00:00Z', effectiveFrom: '2025-12-01T00:00:00Z' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => [p.field, p.code])).toEqual([
      ['DisplayName', 'required_target_off'],
      ['effectiveFrom', 'bad_effective_from'],
      ['effectiveFrom', 'bad_effective_from'],
    ]);
    expect(!result.ok && result.problems[1]?.message).toMatch(/never applies retroactively/);
  });
});
