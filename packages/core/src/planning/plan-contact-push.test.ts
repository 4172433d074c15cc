import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, FieldRule } from '../mapping/field-mapping.js';
import { planContactPush, type PlanContactPushInput } from './plan-contact-push.js';
import { stableHash } from './stable-hash.js';

const catalog: FieldSpec[] = [
  { id: 'DisplayName', label: 'Display name', type: 'string', maxLength: 100, required: true },
  { id: 'PrimaryEmailAddr.Address', label: 'Email', type: 'email', maxLength: 100 },
  { id: 'CompanyName', label: 'Company name', type: 'string', maxLength: 100 },
];
const rule = (source: string, target: string, extra: Partial<FieldRule> = {}): FieldRule => ({ source, target, enabled: true, direction: 'out', transform: { kind: 'none' }, ...extra });
const v1: FieldMapping = { version: 1, effectiveFrom: '2026-01-01T00:00:00Z', rules: [rule('displayName', 'DisplayName'), rule('emails[primary]', 'PrimaryEmailAddr.Address')] };
const v2: FieldMapping = { version: 2, effectiveFrom: '2026-02-01T00:00:00Z', rules: [...v1.rules, rule('companyName', 'CompanyName')] };
const acme: Contact = { kind: 'customer', displayName: 'Acme', companyName: 'Acme Pty Ltd', emails: [{ address: 'a@acme.example', type: 'primary' }], phones: [], addresses: [], customFields: {} };
const hashUnder = (mapping: FieldMapping, contact: Contact = acme) => planContactPush({ ...input, mapping, contact, link: null }).payloadHash;

const input: PlanContactPushInput = {
  contact: acme, mapping: v1, catalog, providerName: 'QuickBooks',
  link: { state: 'linked', remoteId: '58', reason: null },
  lastPushedHash: null, lastPushedMappingVersion: 1,
  contactChangedAt: '2026-01-10T00:00:00Z', lastPushedAt: '2026-01-05T00:00:00Z',
};

describe('planContactPush', () => {
  it.each<[string, Partial<PlanContactPushInput>, string, RegExp]>([
    ['no link yet', { link: null }, 'create', /Not in QuickBooks yet/],
    ['an unlinked contact', { link: { state: 'unlinked', remoteId: null, reason: 'by admin' } }, 'create', /create it/],
    ['an upload in flight', { link: { state: 'pending', remoteId: null, reason: null } }, 'skip', /in flight/],
    ['an invalid link', { link: { state: 'invalid', remoteId: '58', reason: 'The remote contact was deleted' } }, 'blocked', /^Link invalid: The remote contact was deleted/],
    ['a contact changed since the last push', {}, 'update', /Changed since/],
    ['a contact unchanged since the last push', { contactChangedAt: '2026-01-01T00:00:00Z' }, 'skip', /not changed since it was last sent/],
    ['a linked-by-matching contact never changed since', { lastPushedAt: null, linkedAt: '2026-01-20T00:00:00Z' }, 'skip', /not overwritten/],
    ['a linked-by-matching contact changed after the link', { lastPushedAt: null, linkedAt: '2026-01-02T00:00:00Z' }, 'update', /Changed since/],
    ['a mapping change alone', { mapping: v2, contactChangedAt: '2026-01-01T00:00:00Z' }, 'skip', /Only the field mapping changed \(version 1 → 2\).*never retroactively/],
    ['a mapping change then a contact change', { mapping: v2, contactChangedAt: '2026-02-02T00:00:00Z', lastPushedAt: '2026-01-05T00:00:00Z' }, 'update', /Changed since/],
    ['a contact without the required display name', { contact: { ...acme, displayName: undefined } }, 'blocked', /Display name \(DisplayName\) is required.*fill displayName/],
  ])('%s → %s', (_name, over, action, reason) => {
    const plan = planContactPush({ ...input, ...over });
    expect(plan.action).toBe(action);
    expect(plan.reason).toMatch(reason);
  });

  it('nothing to do when the mapped payload hashes the same as the last push, even after it changed', () => {
    const plan = planContactPush({ ...input, lastPushedHash: hashUnder(v1), contactChangedAt: '2026-03-01T00:00:00Z' });
    expect(plan).toMatchObject({ action: 'skip', reason: expect.stringMatching(/already has these values/) as unknown });
  });

  it('the payload hash is the stable hash of the mapped payload', () => {
    const plan = planContactPush(input);
    expect(plan.payload).toEqual({ DisplayName: 'Acme', 'PrimaryEmailAddr.Address': 'a@acme.example' });
    expect(plan.payloadHash).toBe(stableHash(plan.payload));
  });

  it('reordering the mapping rules never makes a contact look changed', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...v2.rules], { minLength: v2.rules.length }), (rules) => {
        const plan = planContactPush({ ...input, mapping: { ...v2, rules }, lastPushedMappingVersion: 2, lastPushedHash: hashUnder(v2), contactChangedAt: '2026-03-01T00:00:00Z' });
        expect(plan.action).toBe('skip');
      }),
    );
  });

  it('refuses a change time that is not a timestamp, naming the field', () => {
    expect(() => planContactPush({ ...input, contactChangedAt: 'yesterday' })).toThrow(/contactChangedAt/);
  });

  it('a linked contact that did not change after its last push is never updated, whatever the mappings', () => {
    const mappings = fc.constantFrom(v1, v2);
    fc.assert(
      fc.property(mappings, mappings, fc.string({ minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 10_000 }), (pushedUnder, now, name, gap) => {
        const contact = { ...acme, displayName: name.trim() || 'x' };
        const pushedAt = Date.parse('2026-02-10T00:00:00Z');
        const plan = planContactPush({
          ...input, contact, mapping: now, lastPushedMappingVersion: pushedUnder.version,
          lastPushedHash: hashUnder(pushedUnder, contact),
          lastPushedAt: new Date(pushedAt).toISOString(), contactChangedAt: new Date(pushedAt - gap).toISOString(),
        });
        expect(plan.action).toBe('skip');
      }),
    );
  });
});
