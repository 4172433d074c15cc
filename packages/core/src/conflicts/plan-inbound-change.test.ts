import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, FieldRule } from '../mapping/field-mapping.js';
import { planContactPush } from '../planning/plan-contact-push.js';
import { planInboundChange, type PlanInboundChangeInput } from './plan-inbound-change.js';

const catalog: FieldSpec[] = [
  { id: 'DisplayName', label: 'Display name', type: 'string', required: true },
  { id: 'Phone', label: 'Phone', type: 'phone' },
  { id: 'Email', label: 'Email', type: 'email' },
  { id: 'Notes', label: 'Notes', type: 'string' },
];
const rule = (source: string, target: string, direction: FieldRule['direction']): FieldRule => ({ source, target, enabled: true, direction, transform: { kind: 'none' } });
const mapping: FieldMapping = {
  version: 1, effectiveFrom: '2026-01-01T00:00:00Z',
  rules: [rule('displayName', 'DisplayName', 'out'), rule('phones[primary]', 'Phone', 'both'), rule('emails[primary]', 'Email', 'both'), rule('notes', 'Notes', 'in')],
};
const acme: Contact = {
  kind: 'customer', displayName: 'Acme', emails: [{ address: 'a@acme.example', type: 'primary' }],
  phones: [{ number: '+61299990000', type: 'primary' }], addresses: [], customFields: {},
};
const pushed = planContactPush({ contact: acme, mapping, catalog, link: null, lastPushedHash: null, lastPushedMappingVersion: null, contactChangedAt: '2026-01-02T00:00:00Z', lastPushedAt: null });

const input: PlanInboundChangeInput = {
  contact: acme, mapping, catalog,
  remote: { DisplayName: 'Acme', Phone: '+61299990000', Email: 'a@acme.example' },
  base: { 'phones[primary]': '+61299990000', 'emails[primary]': 'a@acme.example' },
  lastPushedHash: pushed.payloadHash, hubChangedAt: '2026-01-02T00:00:00Z', remoteChangedAt: '2026-01-03T00:00:00Z',
  ours: { system: 'hub', name: 'Ledgerlink' }, theirs: { system: 'accounting', name: 'QuickBooks' },
  policy: { owners: { 'emails[primary]': 'hub' } },
};

describe('planInboundChange', () => {
  it('recognises our own write coming back and does nothing', () => {
    expect(planInboundChange(input)).toMatchObject({ echo: true, decisions: [], contact: acme, pushBack: [] });
  });

  it('is not fooled by an echo-looking record whose read-in-only field changed', () => {
    const plan = planInboundChange({ ...input, base: { ...input.base, notes: 'old' }, remote: { ...input.remote, Notes: 'new remark' } });
    expect(plan.echo).toBe(false);
    expect(plan.contact.notes).toBe('new remark');
    expect(planInboundChange({ ...input, base: { ...input.base, notes: 'same' }, remote: { ...input.remote, Notes: 'same' } }).echo).toBe(true);
  });

  it('takes a remote change of a field nobody owns and applies it to the contact', () => {
    const plan = planInboundChange({ ...input, remote: { ...input.remote, Phone: '+61299991111', Notes: 'VIP' } });
    expect(plan.echo).toBe(false);
    expect(plan.contact.phones).toEqual([{ number: '+61299991111', type: 'primary' }]);
    expect(plan.contact.notes).toBe('VIP');
    expect(plan.decisions.find((d) => d.field === 'phones[primary]')?.explanation).toBe("phones[primary]: QuickBooks wins (only it changed since the last sync); Ledgerlink's value '+61299990000' kept in the audit log");
    expect(plan.pushBack).toEqual([]);
    expect(plan.nextBase).toMatchObject({ 'phones[primary]': '+61299991111', notes: 'VIP' });
  });

  it('keeps the hub value of a field the hub owns and lists it for a write back', () => {
    const plan = planInboundChange({ ...input, remote: { ...input.remote, Email: 'someone@else.example' } });
    expect(plan.contact.emails).toEqual(acme.emails);
    expect(plan.pushBack).toEqual(['emails[primary]']);
    expect(plan.decisions.find((d) => d.field === 'emails[primary]')).toMatchObject({ winner: 'ours', rule: 'owner', discarded: { value: 'someone@else.example' } });
  });

  it('never reads an out-only field back in', () => {
    const plan = planInboundChange({ ...input, remote: { ...input.remote, DisplayName: 'Renamed in QuickBooks', Phone: '+61299992222' } });
    expect(plan.contact.displayName).toBe('Acme');
    expect(plan.decisions.map((d) => d.field)).not.toContain('displayName');
  });

  it('once applied, the same remote record changes nothing more on the hub', () => {
    const value = fc.option(fc.constantFrom('+61200000001', '+61200000002', 'x@y.example', 'note'), { nil: null });
    const owner = fc.option(fc.constantFrom('accounting' as const, 'hub' as const), { nil: undefined });
    fc.assert(
      fc.property(value, value, value, owner, owner, fc.boolean(), (phone, email, notes, phoneOwner, emailOwner, newer) => {
        const remote = { DisplayName: 'Acme', Phone: phone, Email: email, Notes: notes };
        const owners = { ...(phoneOwner ? { 'phones[primary]': phoneOwner } : {}), ...(emailOwner ? { 'emails[primary]': emailOwner } : {}) };
        const times = newer ? { remoteChangedAt: '2026-02-01T00:00:00Z' } : { remoteChangedAt: '2025-12-01T00:00:00Z' };
        const first = planInboundChange({ ...input, ...times, remote, lastPushedHash: null, policy: { owners } });
        const again = planInboundChange({ ...input, ...times, contact: first.contact, base: first.nextBase, remote, lastPushedHash: null, policy: { owners } });
        expect(again.decisions.filter((d) => d.writeOurs)).toEqual([]);
        expect([...again.pushBack].sort()).toEqual([...first.pushBack].sort());
      }),
    );
  });
});
