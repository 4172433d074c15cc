import { describe, expect, it } from 'vitest';
import { createNameEntity } from './customers.js';
import { QboFault } from './faults.js';
import { executeQuery } from './query-executor.js';
import { parseQuery } from './query-parser.js';
import { QboStore } from './store.js';

const NOW = Date.UTC(2026, 10, 23);
const DAY = 86_400_000;

function seeded() {
  const company = new QboStore().createCompany({ name: 'Query Co', createdMs: NOW });
  const names = ['Zeta Supplies', 'Alpha Bakery', 'Mid Bakery', 'Inactive Bakery', 'Omega Ltd'];
  names.forEach((name, i) =>
    createNameEntity(company, 'Customer', { DisplayName: name, Active: name !== 'Inactive Bakery', Balance: i * 10 }, NOW + i * DAY),
  );
  createNameEntity(company, 'Vendor', { DisplayName: 'Bakery Vendor' }, NOW);
  return company;
}

function run(statement: string): Record<string, unknown> {
  return executeQuery(seeded(), parseQuery(statement)).QueryResponse;
}

function names(response: Record<string, unknown>): string[] {
  return ((response.Customer as { DisplayName: string }[] | undefined) ?? []).map((c) => c.DisplayName);
}

describe('executeQuery', () => {
  it('returns active customers only unless the WHERE clause names Active', () => {
    expect(names(run("SELECT * FROM Customer WHERE DisplayName LIKE '%bakery'"))).toEqual(['Alpha Bakery', 'Mid Bakery']);
    expect(names(run("SELECT * FROM Customer WHERE DisplayName LIKE '%Bakery' AND Active IN (true, false)"))).toEqual(['Alpha Bakery', 'Mid Bakery', 'Inactive Bakery']);
    expect(names(run('SELECT * FROM Customer WHERE Active = false'))).toEqual(['Inactive Bakery']);
  });

  it('matches = case-insensitively and finds a name through the DisplayName index', () => {
    expect(names(run("SELECT * FROM Customer WHERE DisplayName = 'omega ltd'"))).toEqual(['Omega Ltd']);
    expect(run("SELECT * FROM Customer WHERE DisplayName = 'Bakery Vendor'")).toEqual({});
  });

  it('filters by Id, numbers and dates, sorts, and pages with 1-based STARTPOSITION', () => {
    expect(names(run("SELECT * FROM Customer WHERE Id IN ('5', '1', '2')"))).toEqual(['Zeta Supplies', 'Alpha Bakery', 'Omega Ltd']);
    expect(names(run('SELECT * FROM Customer WHERE Balance > 15 ORDERBY Balance DESC'))).toEqual(['Omega Ltd', 'Mid Bakery']);
    expect(names(run(`SELECT * FROM Customer WHERE MetaData.LastUpdatedTime >= '${new Date(NOW + 2 * DAY).toISOString()}'`))).toEqual(['Mid Bakery', 'Omega Ltd']);
    const page = run('SELECT * FROM Customer ORDERBY DisplayName STARTPOSITION 2 MAXRESULTS 2');
    expect(names(page)).toEqual(['Mid Bakery', 'Omega Ltd']);
    expect(page).toMatchObject({ startPosition: 2, maxResults: 2 });
  });

  it('counts with count(*) and answers an empty QueryResponse when nothing matches', () => {
    expect(run('SELECT count(*) FROM Customer')).toEqual({ totalCount: 4 });
    expect(run("SELECT * FROM Customer WHERE DisplayName = 'Nobody'")).toEqual({});
    const vendors = run('SELECT * FROM Vendor').Vendor as { DisplayName: string }[];
    expect(vendors.map((v) => v.DisplayName)).toEqual(['Bakery Vendor']);
  });

  it('refuses unknown properties and entities with a 4000 fault that names them', () => {
    const detail = (statement: string): string => {
      try {
        run(statement);
      } catch (error) {
        if (error instanceof QboFault) return error.errors[0]?.Detail ?? '';
      }
      return 'no fault';
    };
    expect(detail("SELECT * FROM Customer WHERE Nickname = 'x'")).toMatch(/^QueryValidationError: property 'Nickname' is not queryable on Customer/);
    expect(detail('SELECT * FROM TimeActivity')).toMatch(/Entity 'TimeActivity' is not supported/);
    expect(detail("SELECT * FROM Customer WHERE Active = 'maybe'")).toMatch(/not a valid value for Active/);
  });
});
