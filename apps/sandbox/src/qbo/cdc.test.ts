import { describe, expect, it } from 'vitest';
import { seedBulk } from './bulk-seed.js';
import { CDC_MAX_OBJECTS, changeDataCapture } from './cdc.js';
import { writeEntity } from './entities.js';
import { QboFault } from './faults.js';
import { QboStore } from './store.js';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;

function entries(result: ReturnType<typeof changeDataCapture>, index = 0): Record<string, unknown> {
  const cdc = result.CDCResponse as { QueryResponse: Record<string, unknown>[] }[];
  return cdc[0]?.QueryResponse[index] ?? {};
}

describe('change data capture', () => {
  it('returns what changed at or after changedSince, oldest first, and nothing older', () => {
    const company = new QboStore().createCompany({ name: 'CDC Co', createdMs: NOW - 40 * DAY });
    writeEntity(company, 'Customer', 'create', { DisplayName: 'Old One' }, NOW - 10 * DAY);
    writeEntity(company, 'Customer', 'create', { DisplayName: 'New Two' }, NOW - 2 * DAY);
    writeEntity(company, 'Customer', 'create', { DisplayName: 'New One' }, NOW - 3 * DAY);
    const result = changeDataCapture(company, 'Customer', new Date(NOW - 5 * DAY).toISOString(), NOW);
    expect((entries(result).Customer as { DisplayName: string }[]).map((c) => c.DisplayName)).toEqual(['New One', 'New Two']);
    expect(entries(result)).toMatchObject({ startPosition: 1, maxResults: 2 });
  });

  it('answers an empty object per entity with no changes, in the order asked', () => {
    const company = new QboStore().createCompany({ name: 'Quiet Co', createdMs: NOW - 40 * DAY });
    const result = changeDataCapture(company, 'Invoice,Customer', new Date(NOW - DAY).toISOString(), NOW);
    expect(result.CDCResponse).toEqual([{ QueryResponse: [{}, {}] }]);
  });

  it('caps each entity at 1000 objects', () => {
    const company = new QboStore().createCompany({ name: 'Busy Co', createdMs: NOW - 40 * DAY });
    seedBulk(company, { customers: 1500 }, NOW - DAY);
    const result = changeDataCapture(company, 'Customer', new Date(NOW - 2 * DAY).toISOString(), NOW);
    expect((entries(result).Customer as unknown[]).length).toBe(CDC_MAX_OBJECTS);
  });

  it('refuses changedSince older than 30 days and names the parameter; 29 days is fine', () => {
    const company = new QboStore().createCompany({ name: 'Window Co', createdMs: NOW - 40 * DAY });
    expect(() => changeDataCapture(company, 'Customer', new Date(NOW - 29 * DAY).toISOString(), NOW)).not.toThrow();
    try {
      changeDataCapture(company, 'Customer', new Date(NOW - 31 * DAY).toISOString(), NOW);
      throw new Error('expected a fault');
    } catch (error) {
      expect(error).toBeInstanceOf(QboFault);
      expect((error as QboFault).errors[0]).toMatchObject({ code: '6000', element: 'changedSince' });
    }
    try {
      changeDataCapture(company, 'Nonsense', new Date(NOW).toISOString(), NOW);
      throw new Error('expected a fault');
    } catch (error) {
      expect((error as QboFault).errors[0]?.Detail).toMatch(/Nonsense/);
    }
  });

  it('reports a deleted invoice as status Deleted with its time', () => {
    const company = new QboStore().createCompany({ name: 'Delete Co', createdMs: NOW - 40 * DAY });
    const customer = writeEntity(company, 'Customer', 'create', { DisplayName: 'Payer' }, NOW - 2 * DAY);
    const invoice = writeEntity(
      company,
      'Invoice',
      'create',
      { CustomerRef: { value: customer.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 3, SalesItemLineDetail: {} }] },
      NOW - 2 * DAY,
    );
    writeEntity(company, 'Invoice', 'delete', { Id: invoice.Id, SyncToken: '0' }, NOW - DAY);
    const result = changeDataCapture(company, 'Invoice', new Date(NOW - 3 * DAY).toISOString(), NOW);
    expect(entries(result).Invoice).toEqual([{ domain: 'QBO', status: 'Deleted', Id: invoice.Id, MetaData: { LastUpdatedTime: expect.stringMatching(/^2026-11-2/) } }]);
  });
});
