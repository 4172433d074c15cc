import { describe, expect, it } from 'vitest';
import { HubspotError } from './errors.js';
import { type Filter, matchesFilter, matchesFilterGroups, parseSearchRequest, sortRecords } from './search.js';

const ada = new Map([
  ['email', 'ada@lovelace.example.com'],
  ['firstname', 'Ada'],
  ['createdate', '2026-01-15T10:00:00.000Z'],
  ['numberofemployees', '12'],
]);

describe('CRM search filters', () => {
  const cases: [string, Filter, boolean][] = [
    ['EQ ignores case', { propertyName: 'firstname', operator: 'EQ', value: 'ada' }, true],
    ['NEQ matches a missing property', { propertyName: 'phone', operator: 'NEQ', value: 'x' }, true],
    ['GT compares date-times as instants (epoch ms)', { propertyName: 'createdate', operator: 'GT', value: String(Date.parse('2026-01-01T00:00:00Z')) }, true],
    ['LT compares date-times given as ISO', { propertyName: 'createdate', operator: 'LT', value: '2026-01-01T00:00:00Z' }, false],
    ['GTE compares numbers as numbers, not text', { propertyName: 'numberofemployees', operator: 'GTE', value: '9' }, true],
    ['BETWEEN is inclusive', { propertyName: 'numberofemployees', operator: 'BETWEEN', value: '12', highValue: '20' }, true],
    ['IN matches any listed value', { propertyName: 'firstname', operator: 'IN', values: ['grace', 'ada'] }, true],
    ['NOT_IN refuses a listed value', { propertyName: 'firstname', operator: 'NOT_IN', values: ['ada'] }, false],
    ['HAS_PROPERTY needs a value', { propertyName: 'phone', operator: 'HAS_PROPERTY' }, false],
    ['NOT_HAS_PROPERTY on a missing value', { propertyName: 'phone', operator: 'NOT_HAS_PROPERTY' }, true],
    ['CONTAINS_TOKEN matches a word', { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'lovelace' }, true],
    ['CONTAINS_TOKEN with a wildcard', { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@lovelace.example.com' }, true],
    ['CONTAINS_TOKEN does not match part of a word', { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'love' }, false],
    ['NOT_CONTAINS_TOKEN', { propertyName: 'email', operator: 'NOT_CONTAINS_TOKEN', value: 'babbage' }, true],
  ];
  it.each(cases)('%s', (_name, filter, expected) => {
    expect(matchesFilter(ada, filter)).toBe(expected);
  });

  it('ORs filter groups and ANDs the filters inside a group', () => {
    const no: Filter = { propertyName: 'firstname', operator: 'EQ', value: 'grace' };
    const yes: Filter = { propertyName: 'firstname', operator: 'EQ', value: 'ada' };
    expect(matchesFilterGroups(ada, [[yes, no]])).toBe(false);
    expect(matchesFilterGroups(ada, [[no], [yes]])).toBe(true);
    expect(matchesFilterGroups(ada, [])).toBe(true);
  });

  it('sorts by the requested property, missing values last, then by id', () => {
    const rec = (id: string, name?: string): { id: string; properties: Map<string, string> } => ({ id, properties: new Map(name === undefined ? [] : [['lastname', name]]) });
    const sorted = sortRecords([rec('3', 'b'), rec('1'), rec('2', 'a'), rec('4', 'b')], [{ propertyName: 'lastname', direction: 'ASCENDING' }]);
    expect(sorted.map((r) => r.id)).toEqual(['2', '3', '4', '1']);
  });

  it('refuses a limit over 200 and an unknown operator, naming the field', () => {
    expect(() => parseSearchRequest({ limit: 201 })).toThrow(/limit must be a whole number from 0 to 200/);
    expect(() => parseSearchRequest({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE', value: 'x' }] }] })).toThrow(HubspotError);
    expect(() => parseSearchRequest({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE', value: 'x' }] }] })).toThrow(/filterGroups\[0\]\.filters\[0\]\.operator/);
    expect(() => parseSearchRequest({ after: '9990', limit: 20 })).toThrow(/at most 10000 results/);
  });
});
