import { describe, expect, it } from 'vitest';
import { seedBulk } from './bulk-seed.js';
import { readEntity, writeEntity } from './entities.js';
import { QboFault } from './faults.js';
import { QboStore } from './store.js';

const NOW = Date.UTC(2026, 10, 23, 12);
const line = { DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: '1' } } };

describe('bulk seeding', () => {
  it('makes unique names, numbered invoices that read like API ones, and keeps DocNumbers unique afterwards', () => {
    const company = new QboStore().createCompany({ name: 'Bulk Co', createdMs: NOW });
    expect(seedBulk(company, { customers: 30, vendors: 5, invoices: 100 }, NOW)).toEqual({ customers: 30, vendors: 5, invoices: 100 });
    expect(company.customers.size).toBe(30);
    const firstInvoice = company.txns.Invoice.values().next().value;
    if (firstInvoice === undefined) throw new Error('no invoice');
    const read = readEntity(company, 'Invoice', firstInvoice.id);
    expect(read).toMatchObject({ DocNumber: '1001', Line: [{ DetailType: 'SalesItemLineDetail', Amount: read.TotalAmt }] });

    const next = writeEntity(company, 'Invoice', 'create', { CustomerRef: { value: '1' }, Line: [line] }, NOW);
    expect(next.DocNumber).toBe('1101');
    expect(() => writeEntity(company, 'Invoice', 'create', { CustomerRef: { value: '1' }, DocNumber: '1050', Line: [line] }, NOW)).toThrow(QboFault);

    const updated = writeEntity(company, 'Invoice', 'update', { Id: firstInvoice.id, SyncToken: '0', sparse: true, PrivateNote: 'kept its line' }, NOW);
    expect(updated).toMatchObject({ PrivateNote: 'kept its line', TotalAmt: read.TotalAmt, SyncToken: '1' });
    expect(() => writeEntity(company, 'Customer', 'create', { DisplayName: (company.customers.get('1')?.fields.DisplayName as string) ?? '' }, NOW)).toThrow(
      /Duplicate Name/,
    );
  });

  it('refuses more than a million records', () => {
    const company = new QboStore().createCompany({ name: 'Huge Co', createdMs: NOW });
    expect(() => seedBulk(company, { customers: 600_000, invoices: 400_001 }, NOW)).toThrow(/at most 1000000/);
  });
});
