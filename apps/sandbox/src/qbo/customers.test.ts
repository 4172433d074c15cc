import { describe, expect, it } from 'vitest';
import { createNameEntity, renderNameEntity, updateNameEntity } from './customers.js';
import { QboFault } from './faults.js';
import { QboStore } from './store.js';

const NOW = Date.UTC(2026, 10, 23, 18, 0, 0);

function company() {
  return new QboStore().createCompany({ name: 'Test Co', createdMs: NOW });
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof QboFault) return error.errors[0]?.code ?? '';
    throw error;
  }
  throw new Error('expected a QBO fault');
}

describe('customer create', () => {
  it('generates DisplayName from the name parts and fills the QBO defaults', () => {
    const c = company();
    const record = createNameEntity(c, 'Customer', { GivenName: 'James', FamilyName: 'King', CompanyName: 'King Groceries' }, NOW);
    expect(renderNameEntity(c, record)).toMatchObject({
      Id: '1',
      SyncToken: '0',
      DisplayName: 'James King',
      FullyQualifiedName: 'James King',
      PrintOnCheckName: 'King Groceries',
      Active: true,
      Balance: 0,
      CurrencyRef: { value: 'USD', name: 'United States Dollar' },
      domain: 'QBO',
      sparse: false,
      MetaData: { CreateTime: '2026-11-23T10:00:00-08:00', LastUpdatedTime: '2026-11-23T10:00:00-08:00' },
    });
  });

  it('needs DisplayName or a name part (2020); a company name alone is not enough', () => {
    expect(codeOf(() => createNameEntity(company(), 'Customer', { CompanyName: 'Only Company' }, NOW))).toBe('2020');
  });

  it('refuses properties the Customer schema does not have (2010) and wrong types (2310)', () => {
    expect(codeOf(() => createNameEntity(company(), 'Customer', { DisplayName: 'A', Nickname: 'B' }, NOW))).toBe('2010');
    expect(codeOf(() => createNameEntity(company(), 'Customer', { DisplayName: 42 }, NOW))).toBe('2310');
    expect(codeOf(() => createNameEntity(company(), 'Customer', undefined, NOW))).toBe('2310');
  });

  it('keeps one DisplayName namespace for customers and vendors, inactive ones included', () => {
    const c = company();
    const vendor = createNameEntity(c, 'Vendor', { DisplayName: 'Shared Name' }, NOW);
    const inactive = createNameEntity(c, 'Customer', { DisplayName: 'Old Customer', Active: false }, NOW);
    expect(codeOf(() => createNameEntity(c, 'Customer', { DisplayName: 'shared  name' }, NOW))).toBe('6240');
    expect(codeOf(() => createNameEntity(c, 'Customer', { DisplayName: 'Old Customer' }, NOW))).toBe('6240');
    expect(vendor.id).toBe('1');
    expect(inactive.id).toBe('2');
  });
});

describe('customer update', () => {
  it('full update clears omitted writable fields; sparse keeps them', () => {
    const c = company();
    const record = createNameEntity(c, 'Customer', { DisplayName: 'Full Co', Notes: 'keep?', PrimaryEmailAddr: { Address: 'a@b.co' } }, NOW);
    updateNameEntity(c, 'Customer', { Id: record.id, SyncToken: '0', sparse: true, Notes: 'changed' }, NOW + 1000);
    expect(record.fields).toMatchObject({ Notes: 'changed', PrimaryEmailAddr: { Address: 'a@b.co' } });
    updateNameEntity(c, 'Customer', { Id: record.id, SyncToken: '1', DisplayName: 'Full Co' }, NOW + 2000);
    expect(record.fields.Notes).toBeUndefined();
    expect(record.fields.PrimaryEmailAddr).toBeUndefined();
    expect(record.syncToken).toBe(2);
  });

  it('accepts its own read response back as a full update (system fields are ignored)', () => {
    const c = company();
    const record = createNameEntity(c, 'Customer', { DisplayName: 'Echo Ltd', BillAddr: { Line1: '1 Main St' } }, NOW);
    const echoed = { ...renderNameEntity(c, record), CompanyName: 'Echo Limited' };
    updateNameEntity(c, 'Customer', echoed, NOW + 1000);
    expect(renderNameEntity(c, record)).toMatchObject({ CompanyName: 'Echo Limited', SyncToken: '1', BillAddr: { Id: '1', Line1: '1 Main St' } });
  });

  it('renames into a free name and frees the old one; refuses a taken one; refuses removing DisplayName', () => {
    const c = company();
    const a = createNameEntity(c, 'Customer', { DisplayName: 'Alpha' }, NOW);
    createNameEntity(c, 'Customer', { DisplayName: 'Beta' }, NOW);
    updateNameEntity(c, 'Customer', { Id: a.id, SyncToken: '0', sparse: true, DisplayName: 'Gamma' }, NOW);
    expect(createNameEntity(c, 'Customer', { DisplayName: 'Alpha' }, NOW).id).toBe('3');
    expect(codeOf(() => updateNameEntity(c, 'Customer', { Id: a.id, SyncToken: '1', sparse: true, DisplayName: 'BETA' }, NOW))).toBe('6240');
    expect(codeOf(() => updateNameEntity(c, 'Customer', { Id: a.id, SyncToken: '1', sparse: true, DisplayName: '' }, NOW))).toBe('6000');
  });

  it('needs the current SyncToken (5010 when stale) and an existing Id (610)', () => {
    const c = company();
    const record = createNameEntity(c, 'Customer', { DisplayName: 'Versioned' }, NOW);
    expect(codeOf(() => updateNameEntity(c, 'Customer', { Id: record.id, SyncToken: '7', sparse: true, Notes: 'x' }, NOW))).toBe('5010');
    expect(codeOf(() => updateNameEntity(c, 'Customer', { Id: record.id, sparse: true, Notes: 'x' }, NOW))).toBe('2020');
    expect(codeOf(() => updateNameEntity(c, 'Customer', { Id: '999', SyncToken: '0', sparse: true }, NOW))).toBe('610');
  });
});
