import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveFieldConflicts, type ConflictSide, type FieldConflict, type FieldOwner } from './resolve-field-conflicts.js';

const quickbooks: ConflictSide = { system: 'accounting', name: 'QuickBooks' };
const hubspot: ConflictSide = { system: 'crm', name: 'HubSpot' };
const at = (value: string | null, changedAt: string | null = null) => ({ value, changedAt });

describe('resolveFieldConflicts', () => {
  it('the owner of a field wins and the other value is kept for the audit log', () => {
    const [decision] = resolveFieldConflicts({
      ours: hubspot, theirs: quickbooks, policy: { owners: { phone: 'accounting' } },
      fields: [{ field: 'phone', base: '+61 2 9999 0000', ours: at('+61 2 9999 1234', '2026-05-02T00:00:00Z'), theirs: at('+61 2 9999 0000', '2026-01-01T00:00:00Z') }],
    });
    expect(decision).toEqual({
      field: 'phone', winner: 'theirs', value: '+61 2 9999 0000', rule: 'owner', writeOurs: true, writeTheirs: false,
      discarded: { side: 'ours', system: 'crm', value: '+61 2 9999 1234' },
      explanation: "phone: QuickBooks wins (owner of phone); HubSpot's value '+61 2 9999 1…' kept in the audit log",
    });
  });

  it.each<[string, FieldConflict, 'ours' | 'theirs' | 'none', string]>([
    ['the same value on both sides', { field: 'email', base: 'a@x', ours: at('b@x'), theirs: at('b@x') }, 'none', 'email: the same on HubSpot and QuickBooks'],
    ['only HubSpot changed it', { field: 'email', base: 'a@x', ours: at('b@x', '2026-01-01T00:00:00Z'), theirs: at('a@x', '2026-06-01T00:00:00Z') }, 'ours', "email: HubSpot wins (only it changed since the last sync); QuickBooks's value 'a@x' kept in the audit log"],
    ['only QuickBooks changed it (to empty)', { field: 'email', base: 'a@x', ours: at('a@x'), theirs: at(null) }, 'theirs', "email: QuickBooks wins (only it changed since the last sync); HubSpot's value 'a@x' kept in the audit log"],
    ['both changed it; the newer wins', { field: 'email', base: 'a@x', ours: at('b@x', '2026-01-01T00:00:00Z'), theirs: at('c@x', '2026-01-02T00:00:00Z') }, 'theirs', "email: QuickBooks wins (both changed it; its change is newer); HubSpot's value 'b@x' kept in the audit log"],
    ['both changed it at the same time', { field: 'email', base: 'a@x', ours: at('b@x', '2026-01-01T00:00:00Z'), theirs: at('c@x', '2026-01-01T00:00:00Z') }, 'ours', "email: HubSpot wins (both changed it at the same or an unknown time; ties go to HubSpot); QuickBooks's value 'c@x' kept in the audit log"],
    ['no sync yet', { field: 'email', ours: at('b@x', '2026-03-01T00:00:00Z'), theirs: at('c@x', '2026-01-01T00:00:00Z') }, 'ours', "email: HubSpot wins (no sync yet; its change is newer); QuickBooks's value 'c@x' kept in the audit log"],
  ])('without an owner: %s', (_name, field, winner, explanation) => {
    const [decision] = resolveFieldConflicts({ ours: hubspot, theirs: quickbooks, policy: { owners: {} }, fields: [field] });
    expect(decision?.winner).toBe(winner);
    expect(decision?.explanation).toBe(explanation);
  });

  it('an owner that is neither side falls back to the last writer', () => {
    const hub: ConflictSide = { system: 'hub', name: 'Ledgerlink' };
    const [decision] = resolveFieldConflicts({ ours: hub, theirs: quickbooks, policy: { owners: { notes: 'crm' } }, fields: [{ field: 'notes', base: 'x', ours: at('x'), theirs: at('y') }] });
    expect(decision).toMatchObject({ winner: 'theirs', rule: 'only_one_changed' });
  });

  it('the tie-breaker is configurable', () => {
    const [decision] = resolveFieldConflicts({ ours: hubspot, theirs: quickbooks, policy: { owners: {}, tieBreaker: 'theirs' }, fields: [{ field: 'n', ours: at('1'), theirs: at('2') }] });
    expect(decision).toMatchObject({ winner: 'theirs', rule: 'tie', value: '2' });
  });

  it('ends with one value on both sides, honours owners, never invents a value and is the same from either side', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null });
    const time = fc.option(fc.integer({ min: 0, max: 5 }).map((d) => `2026-01-0${d + 1}T00:00:00Z`), { nil: null });
    const owner = fc.option(fc.constantFrom<FieldOwner>('accounting', 'crm', 'hub'), { nil: undefined });
    fc.assert(
      fc.property(value, fc.boolean(), value, time, value, time, owner, (base, hasBase, o, ot, t, tt, own) => {
        const field: FieldConflict = { field: 'f', ...(hasBase ? { base } : {}), ours: at(o, ot), theirs: at(t, tt) };
        const policy = { owners: own ? { f: own } : {} };
        const [d] = resolveFieldConflicts({ ours: hubspot, theirs: quickbooks, policy, fields: [field] });
        if (!d) throw new Error('no decision');
        expect([o, t]).toContain(d.value);
        if (o === t) expect([d.writeOurs, d.writeTheirs]).toEqual([false, false]);
        else expect(Number(d.writeOurs) + Number(d.writeTheirs)).toBe(1);
        if (o !== t && own === 'accounting') expect(d.value).toBe(t);
        if (o !== t && own === 'crm') expect(d.value).toBe(o);
        if (o !== t && own !== 'accounting' && own !== 'crm' && hasBase && (o === base) !== (t === base)) expect(d.value).toBe(o === base ? t : o);
        const tie = d.rule === 'tie';
        const [mirror] = resolveFieldConflicts({ ours: quickbooks, theirs: hubspot, policy: { ...policy, tieBreaker: 'theirs' }, fields: [{ ...field, ours: field.theirs, theirs: field.ours }] });
        expect(mirror?.value).toBe(d.value);
        expect(mirror?.rule).toBe(tie ? 'tie' : d.rule);
      }),
    );
  });
});
