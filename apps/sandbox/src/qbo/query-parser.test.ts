import { describe, expect, it } from 'vitest';
import { QboFault } from './faults.js';
import { parseQuery } from './query-parser.js';

function faultDetail(statement: string): { code: string; detail: string } {
  try {
    parseQuery(statement);
  } catch (error) {
    if (error instanceof QboFault) return { code: error.errors[0]?.code ?? '', detail: error.errors[0]?.Detail ?? '' };
    throw error;
  }
  throw new Error(`expected "${statement}" to be refused`);
}

describe('parseQuery', () => {
  it('reads the full grammar: conditions joined by AND, ORDERBY, STARTPOSITION, MAXRESULTS', () => {
    const query = parseQuery(
      "SELECT * FROM Customer WHERE DisplayName LIKE '%Bakery%' AND Balance > 10 AND Active IN (true, false) AND MetaData.LastUpdatedTime >= '2026-01-01' ORDERBY DisplayName DESC STARTPOSITION 11 MAXRESULTS 10",
    );
    expect(query).toEqual({
      select: 'all',
      entity: 'Customer',
      where: [
        { field: 'DisplayName', operator: 'LIKE', value: { kind: 'string', value: '%Bakery%' } },
        { field: 'Balance', operator: '>', value: { kind: 'number', value: 10, text: '10' } },
        { field: 'Active', operator: 'IN', values: [{ kind: 'boolean', value: true }, { kind: 'boolean', value: false }] },
        { field: 'MetaData.LastUpdatedTime', operator: '>=', value: { kind: 'string', value: '2026-01-01' } },
      ],
      orderBy: [{ field: 'DisplayName', direction: 'DESC' }],
      startPosition: 11,
      maxResults: 10,
    });
  });

  it('takes keywords in any case, as node-quickbooks sends them', () => {
    const query = parseQuery("select count(*) from customer where DisplayName = 'Acme' startposition 1 maxresults 1000");
    expect(query).toMatchObject({ select: 'count', entity: 'customer', startPosition: 1, maxResults: 1000 });
  });

  it("decodes \\' inside a string literal", () => {
    const query = parseQuery("SELECT * FROM Customer WHERE DisplayName = 'Cutlery \\'R Us'");
    expect(query.where[0]).toEqual({ field: 'DisplayName', operator: '=', value: { kind: 'string', value: "Cutlery 'R Us" } });
  });

  it('refuses an unescaped quote with a QueryParserError naming the position (code 4000)', () => {
    const { code, detail } = faultDetail("SELECT * FROM Customer WHERE DisplayName = 'Cutlery 'R Us'");
    expect(code).toBe('4000');
    expect(detail).toMatch(/^QueryParserError: Encountered " <IDENTIFIER> "R "" at line 1, column 54\./);
  });

  it('refuses an empty statement the way QBO words it', () => {
    expect(faultDetail('   ')).toEqual({ code: '4000', detail: 'QueryParserError: The query provided was empty' });
  });

  it('refuses OR, which the QBO query language does not have', () => {
    expect(faultDetail("SELECT * FROM Customer WHERE DisplayName = 'a' OR DisplayName = 'b'").detail).toMatch(/OR is not supported/);
  });

  it('refuses MAXRESULTS above 1000 and below 1', () => {
    expect(faultDetail('SELECT * FROM Customer MAXRESULTS 1500').detail).toBe('QueryValidationError: value 1500 is too large. Max allowed value is 1000');
    expect(faultDetail('SELECT * FROM Customer STARTPOSITION 0').detail).toMatch(/STARTPOSITION must be at least 1/);
  });

  it('refuses projections other than * and count(*), and stray characters', () => {
    expect(faultDetail('SELECT DisplayName FROM Customer').detail).toMatch(/Was expecting one of: "\*", "count"/);
    expect(faultDetail('SELECT * FROM Customer WHERE DisplayName = %x%').detail).toMatch(/Lexical error at line 1, column 44/);
    expect(faultDetail("SELECT * FROM Customer WHERE DisplayName = 'open").detail).toMatch(/never closed/);
    expect(faultDetail('SELECT * FROM Customer ORDERBY').detail).toMatch(/<IDENTIFIER>/);
  });
});
