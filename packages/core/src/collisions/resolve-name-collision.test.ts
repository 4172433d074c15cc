import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '@ledgerlink/connector-sdk';
import { normaliseDisplayName, resolveNameCollision, type ExistingName, type ResolveNameCollisionInput } from './resolve-name-collision.js';

const acme: Contact = {
  kind: 'customer', displayName: 'Acme', emails: [{ address: 'ap@acme.example', type: 'primary' }], phones: [],
  addresses: [{ type: 'billing', lines: [], city: 'Sydney' }], customFields: {},
};
const rec = (remoteId: string, name: string, over: Partial<ExistingName> = {}): ExistingName => ({ remoteId, name, entity: 'customer', status: 'active', ...over });

const qbo = (existing: ExistingName[], over: Partial<ResolveNameCollisionInput> = {}) => resolveNameCollision({
  desiredName: 'Acme', contact: acme, externalId: 'C-42', existing, uniqueness: 'all_records', policy: {},
  samePerson: () => false, maxLength: 500, providerName: 'QuickBooks', ...over,
});

describe('resolveNameCollision', () => {
  it('creates a name nobody uses', () => {
    expect(qbo([rec('1', 'Acme Corp')])).toEqual({ action: 'create', name: 'Acme', reason: 'No record in QuickBooks uses the name "Acme"' });
  });

  it('adopts the existing record when it is the same person', () => {
    expect(qbo([rec('58', ' acme ')], { samePerson: (e) => e.remoteId === '58' })).toMatchObject({ action: 'adopt', remoteId: '58', reason: expect.stringMatching(/is this contact by the matching rules/) as unknown });
  });

  it('renames with a counter when someone else holds the name, skipping taken suffixes', () => {
    expect(qbo([rec('1', 'ACME'), rec('2', 'Acme (2)', { status: 'inactive' })])).toEqual({
      action: 'rename', name: 'Acme (3)', reason: 'QuickBooks already has a customer named "ACME" (1) that is not this contact: creating it as "Acme (3)"',
    });
  });

  it('in QuickBooks an inactive vendor or employee blocks the name; in Xero only active contacts do', () => {
    const inactiveVendor = [rec('9', 'Acme', { entity: 'supplier', status: 'inactive' })];
    expect(qbo(inactiveVendor)).toMatchObject({ action: 'rename', name: 'Acme (2)', reason: expect.stringMatching(/inactive supplier named "Acme"/) as unknown });
    expect(qbo([rec('9', 'Acme', { entity: 'employee' })])).toMatchObject({ action: 'rename' });
    expect(qbo(inactiveVendor, { uniqueness: 'active_only', providerName: 'Xero' })).toMatchObject({ action: 'create', name: 'Acme' });
    expect(qbo([rec('9', 'Acme', { status: 'deleted' })])).toMatchObject({ action: 'create' });
  });

  it.each<[string, ResolveNameCollisionInput['policy'], string]>([
    ['city', { renameRules: [{ kind: 'city' }] }, 'Acme - Sydney'],
    ['an external id pattern', { renameRules: [{ kind: 'pattern', pattern: '{name} ({externalId})' }] }, 'Acme (C-42)'],
    ['the next rule when the city is taken', { renameRules: [{ kind: 'city' }, { kind: 'counter' }] }, 'Acme (2)'],
  ])('renames by %s', (_name, policy, expected) => {
    expect(qbo([rec('1', 'Acme'), rec('3', 'Acme - Sydney', { status: expected === 'Acme - Sydney' ? 'deleted' : 'active' })], { policy })).toMatchObject({ action: 'rename', name: expected });
  });

  it.each<[string, ExistingName[], Partial<ResolveNameCollisionInput>, RegExp]>([
    ['the policy says refuse', [rec('1', 'Acme')], { policy: { onCollision: 'refuse' } }, /already has a customer named "Acme" \(1\).*rename the contact, link it by hand/],
    ['two records look like the same person', [rec('1', 'Acme'), rec('2', 'acme')], { samePerson: () => true }, /2 records in QuickBooks named "Acme" look like this contact \(1, 2\): link one of them by hand/],
    ['the same person is inactive', [rec('1', 'Acme', { status: 'inactive' })], { samePerson: () => true }, /is this contact but is inactive: make it active in QuickBooks, then link it/],
    ['no rule gives a free name', [rec('1', 'Acme'), rec('2', 'Acme (2)')], { policy: { maxCounter: 2 } }, /no rename rule gave a free name/],
    ['the contact has no city for the city rule', [rec('1', 'Acme')], { contact: { ...acme, addresses: [] }, policy: { renameRules: [{ kind: 'city' }] } }, /the contact has no city/],
    ['a pattern uses an unknown token', [rec('1', 'Acme')], { policy: { renameRules: [{ kind: 'pattern', pattern: '{name} {zip}' }] } }, /unknown \{zip\}/],
    ['the name has no text', [], { desiredName: '  ' }, /fill its display name/],
    ['the name is too long', [], { maxLength: 3 }, /longer than the 3 characters QuickBooks allows/],
  ])('refuses when %s, saying what to do', (_name, existing, over, reason) => {
    const decision = qbo(existing, over);
    expect(decision.action).toBe('refuse');
    expect(decision.reason).toMatch(reason);
  });

  it('never adopts a record of another kind, even the same person', () => {
    expect(qbo([rec('9', 'Acme', { entity: 'supplier' })], { samePerson: () => true })).toEqual({
      action: 'rename', name: 'Acme (2)',
      reason: 'QuickBooks already has a supplier named "Acme" (9) that looks like this contact, but a customer cannot be linked to a supplier: creating it as "Acme (2)"',
    });
  });

  it('shortens the name so a suffix fits the provider limit', () => {
    expect(qbo([rec('1', 'Acme')], { maxLength: 6 })).toMatchObject({ action: 'rename', name: 'Ac (2)' });
  });

  it('never returns a name that is taken or too long, and adopts only the same person', () => {
    const names = fc.constantFrom('Acme', 'acme', 'Acme (2)', 'Acme (3)', 'Acme - Sydney', 'Acme (C-42)', 'Other');
    const arbRecord = fc.record({
      remoteId: fc.string({ minLength: 1, maxLength: 3 }),
      name: names,
      entity: fc.constantFrom('customer' as const, 'supplier' as const, 'employee' as const, 'contact' as const),
      status: fc.constantFrom('active' as const, 'inactive' as const, 'archived' as const, 'deleted' as const),
    });
    const arbRule = fc.constantFrom({ kind: 'counter' as const }, { kind: 'city' as const }, { kind: 'pattern' as const, pattern: '{name} ({externalId})' });
    fc.assert(
      fc.property(
        fc.array(arbRecord, { maxLength: 8 }), fc.constantFrom('all_records' as const, 'active_only' as const), fc.array(arbRule, { maxLength: 3 }),
        fc.integer({ min: 6, max: 20 }), fc.func(fc.boolean()),
        (existing, uniqueness, renameRules, maxLength, same) => {
          const decision = qbo(existing, { uniqueness, maxLength, policy: { renameRules, maxCounter: 4 }, samePerson: (e) => same(e) });
          const blocking = existing.filter((e) => (uniqueness === 'active_only' ? e.status === 'active' : e.status !== 'deleted'));
          if (decision.action === 'create' || decision.action === 'rename') {
            expect(decision.name.length).toBeLessThanOrEqual(maxLength);
            expect(blocking.map((e) => normaliseDisplayName(e.name))).not.toContain(normaliseDisplayName(decision.name));
          }
          if (decision.action === 'adopt') {
            const adopted = existing.find((e) => e.remoteId === decision.remoteId && e.status === 'active' && normaliseDisplayName(e.name) === 'acme');
            expect(adopted && same(adopted)).toBe(true);
          }
          expect(decision.reason.length).toBeGreaterThan(10);
        },
      ),
    );
  });
});
