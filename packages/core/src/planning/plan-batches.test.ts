import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planBatches, type BatchItem, type LinkFact, type BatchPlan } from './plan-batches.js';

const linked = (contactId: string, connectionId = 'qbo'): LinkFact => ({ connectionId, contactId, state: 'linked', remoteId: `r-${contactId}`, reason: null });
const invoice = (id: string, contactId = 'acme', connectionId = 'qbo'): BatchItem => ({ id, connectionId, entity: 'invoice', contactId, contactName: 'Acme Pty Ltd', label: `Invoice ${id}` });
const payment = (id: string, invoiceId: string, remoteId: string | null = null, contactId = 'acme'): BatchItem => ({
  id, connectionId: 'qbo', entity: 'payment', contactId, contactName: 'Acme Pty Ltd', references: [{ id: invoiceId, label: `Invoice ${invoiceId}`, remoteId }],
});
const ids = (plan: BatchPlan, connectionId = 'qbo') => plan.connections.find((c) => c.connectionId === connectionId)?.batches.map((b) => b.items.map((i) => i.id)) ?? [];

describe('planBatches', () => {
  it('splits documents by the provider batch size and puts payments of those documents in a later batch', () => {
    const plan = planBatches({
      items: [payment('P1', 'I1'), invoice('I1'), invoice('I2'), invoice('I3'), payment('P2', 'OLD', 'r-old')],
      links: [linked('acme')],
      batchSize: 2,
    });
    expect(ids(plan)).toEqual([['I1', 'I2'], ['I3'], ['P1', 'P2']]);
    expect(plan.connections[0]?.batches.map((b) => [b.index, b.level, b.entity])).toEqual([[0, 1, 'invoice'], [1, 1, 'invoice'], [2, 2, 'payment']]);
    expect(plan.held).toEqual([]);
  });

  it('holds items with a reason a person can act on', () => {
    const plan = planBatches({
      items: [
        invoice('I1', 'nolink'),
        invoice('I2', 'broken'),
        invoice('I3', 'uploading'),
        { ...invoice('I4'), problems: [{ field: 'DisplayName', code: 'required_target_off', message: 'Mapping is missing required field Display name (DisplayName)', fix: 'map displayName to it' }] },
        payment('P1', 'I4'),
        payment('P2', 'I9'),
      ],
      links: [
        linked('acme'),
        { connectionId: 'qbo', contactId: 'broken', state: 'invalid', remoteId: '7', reason: 'The remote contact was archived in the remote system' },
        { connectionId: 'qbo', contactId: 'uploading', state: 'pending', remoteId: null, reason: null },
      ],
      batchSize: 30,
    });
    expect(plan.connections).toEqual([]);
    expect(plan.held.map((h) => [h.item.id, h.code, h.reason])).toEqual([
      ['I1', 'contact_not_linked', 'Contact not linked: link or upload Acme Pty Ltd'],
      ['I2', 'link_invalid', 'Link invalid: The remote contact was archived in the remote system (Acme Pty Ltd)'],
      ['I3', 'contact_pending', expect.stringMatching(/^Contact upload in progress/) as unknown],
      ['I4', 'mapping_problem', 'Mapping is missing required field Display name (DisplayName): map displayName to it'],
      ['P1', 'dependency_held', expect.stringMatching(/^Waits for Invoice I4, which is held: Mapping is missing required field/) as unknown],
      ['P2', 'dependency_missing', 'Invoice I9 is not synced to this connection yet: mark it ready to sync (or fix its error) first'],
    ]);
  });

  it('a contact uploaded in the same run goes first and its documents follow', () => {
    const plan = planBatches({
      items: [invoice('I1', 'new'), { id: 'new', connectionId: 'qbo', entity: 'contact', contactId: 'new', contactName: 'New Co' }, payment('P1', 'I1', null, 'new')],
      links: [],
      batchSize: 30,
    });
    expect(ids(plan)).toEqual([['new'], ['I1'], ['P1']]);
  });

  it('keeps connections apart, each with its own batch size, and can mix entity types when the provider allows', () => {
    const bill: BatchItem = { ...invoice('B1'), entity: 'bill' };
    const plan = planBatches({
      items: [invoice('I1'), bill, invoice('X1', 'acme', 'xero'), invoice('X2', 'acme', 'xero')],
      links: [linked('acme'), linked('acme', 'xero')],
      batchSize: { qbo: 30, xero: 1 },
      mixEntities: true,
    });
    expect(ids(plan)).toEqual([['I1', 'B1']]);
    expect(ids(plan, 'xero')).toEqual([['X1'], ['X2']]);
    expect(planBatches({ items: [invoice('I1'), bill], links: [linked('acme')], batchSize: 30 }).connections[0]?.batches.map((b) => b.entity)).toEqual(['invoice', 'bill']);
  });

  it('holds a duplicate and a circular reference instead of looping', () => {
    const a: BatchItem = { ...invoice('A'), references: [{ id: 'B', label: 'Credit B', remoteId: null }] };
    const b: BatchItem = { ...invoice('B'), references: [{ id: 'A', label: 'Invoice A', remoteId: null }] };
    const plan = planBatches({ items: [a, b, invoice('I1'), invoice('I1')], links: [linked('acme')], batchSize: 5 });
    expect(plan.held.map((h) => [h.item.id, h.code])).toEqual([['I1', 'duplicate'], ['A', 'cycle'], ['B', 'cycle']]);
    expect(ids(plan)).toEqual([['I1']]);
  });

  it('refuses a batch size that is not a whole number above 0, naming the connection', () => {
    expect(() => planBatches({ items: [invoice('I1')], links: [linked('acme')], batchSize: { xero: 50 } })).toThrow(/batchSize for connection qbo/);
  });

  it('every item is batched or held exactly once, batches fit the size, and dependencies always run earlier', () => {
    const arbItem = fc.record({
      n: fc.integer({ min: 0, max: 11 }),
      connectionId: fc.constantFrom('qbo', 'xero'),
      entity: fc.constantFrom('contact' as const, 'invoice' as const, 'bill' as const, 'payment' as const),
      contact: fc.constantFrom('c1', 'c2', 'c3'),
      refs: fc.array(fc.record({ n: fc.integer({ min: 0, max: 11 }), synced: fc.boolean() }), { maxLength: 2 }),
    });
    const arbLink = fc.record({
      connectionId: fc.constantFrom('qbo', 'xero'),
      contactId: fc.constantFrom('c1', 'c2', 'c3'),
      state: fc.constantFrom('linked' as const, 'pending' as const, 'invalid' as const, 'unlinked' as const),
    });
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 25 }), fc.uniqueArray(arbLink, { maxLength: 6, selector: (l) => `${l.connectionId}/${l.contactId}` }), fc.integer({ min: 1, max: 4 }), fc.boolean(), (raw, rawLinks, batchSize, mixEntities) => {
        const items: BatchItem[] = raw.map((r) => ({
          id: r.entity === 'contact' ? r.contact : `t${r.n}`,
          connectionId: r.connectionId,
          entity: r.entity,
          contactId: r.contact,
          contactName: r.contact,
          references: r.refs.map((ref) => ({ id: `t${ref.n}`, label: `t${ref.n}`, remoteId: ref.synced ? `r${ref.n}` : null })),
        }));
        const links: LinkFact[] = rawLinks.map((l) => ({ ...l, remoteId: l.state === 'linked' || l.state === 'invalid' ? 'r' : null, reason: l.state === 'invalid' ? 'gone' : null }));
        const plan = planBatches({ items, links, batchSize, mixEntities });
        const batchOf = new Map<string, number>();
        for (const connection of plan.connections) {
          connection.batches.forEach((batch, index) => {
            expect(batch.index).toBe(index);
            expect(batch.items.length).toBeGreaterThan(0);
            expect(batch.items.length).toBeLessThanOrEqual(batchSize);
            for (const item of batch.items) {
              expect(item.connectionId).toBe(connection.connectionId);
              const k = `${item.connectionId}/${item.id}`;
              expect(batchOf.has(k)).toBe(false);
              batchOf.set(k, index);
            }
          });
        }
        expect(batchOf.size + plan.held.length).toBe(items.length);
        for (const h of plan.held) expect(h.reason.length).toBeGreaterThan(10);
        for (const connection of plan.connections) {
          for (const batch of connection.batches) {
            for (const item of batch.items) {
              for (const ref of item.references ?? []) {
                if (ref.remoteId) continue;
                const dep = batchOf.get(`${item.connectionId}/${ref.id}`);
                expect(dep).toBeDefined();
                expect(dep).toBeLessThan(batch.index);
              }
              if (item.entity !== 'contact') {
                const link = links.find((l) => l.connectionId === item.connectionId && l.contactId === item.contactId);
                if (link?.state !== 'linked') expect(batchOf.get(`${item.connectionId}/${item.contactId}`)).toBeLessThan(batch.index);
              }
            }
          }
        }
      }),
    );
  });
});
