import { describe, expect, it } from 'vitest';
import { type FilterRecord, WhereSyntaxError, checkWherePaths, matchesWhere, parseWhere } from './where.js';

const acme: FilterRecord = {
  Name: 'Acme Pty Ltd',
  EmailAddress: 'accounts@acme.example.com',
  ContactStatus: 'ACTIVE',
  IsCustomer: true,
  IsSupplier: false,
  AccountNumber: null,
  Total: 66.03,
  UpdatedDateUTC: { ms: Date.UTC(2026, 10, 20, 9, 30) },
  Contact: { ContactID: '430fa14a-f945-44d3-9f97-5df5e28441b8', Name: 'Acme Pty Ltd' },
};

function matches(where: string, record: FilterRecord = acme): boolean {
  return matchesWhere(parseWhere(where), record);
}

describe('the where parser', () => {
  it('matches the equality forms clients send, ignoring case', () => {
    expect(matches('Name=="Acme Pty Ltd"')).toBe(true);
    expect(matches('Name="acme pty ltd"')).toBe(true);
    expect(matches('EmailAddress=="ACCOUNTS@acme.example.com"')).toBe(true);
    expect(matches('Name=="Acme"')).toBe(false);
    expect(matches('ContactStatus=="ARCHIVED"')).toBe(false);
  });

  it('reads booleans, AND/OR/NOT and parentheses with AND binding tighter than OR', () => {
    expect(matches('IsCustomer==true')).toBe(true);
    expect(matches('IsCustomer == true AND ContactStatus == "ACTIVE"')).toBe(true);
    expect(matches('IsSupplier==true AND Name=="x" OR IsCustomer==true')).toBe(true);
    expect(matches('IsSupplier==true AND (Name=="x" OR IsCustomer==true)')).toBe(false);
    expect(matches('IsCustomer==true && NOT IsSupplier')).toBe(true);
    expect(matches('IsSupplier || Name != "Acme Pty Ltd"')).toBe(false);
  });

  it('supports null checks, string methods, numbers, Guid() and DateTime()', () => {
    expect(matches('AccountNumber == null')).toBe(true);
    expect(matches('EmailAddress != null')).toBe(true);
    expect(matches('Name.Contains("pty")')).toBe(true);
    expect(matches('Name.StartsWith("acme")')).toBe(true);
    expect(matches('Name.EndsWith("Inc")')).toBe(false);
    expect(matches('Total >= 66.03 AND Total < 100')).toBe(true);
    expect(matches('Contact.ContactID==Guid("430FA14A-F945-44D3-9F97-5DF5E28441B8")')).toBe(true);
    expect(matches('UpdatedDateUTC >= DateTime(2026, 11, 20)')).toBe(true);
    expect(matches('UpdatedDateUTC > DateTime(2026, 11, 20, 10, 0, 0)')).toBe(false);
  });

  it('reads escaped quotes inside strings', () => {
    expect(matches('Name=="King\\"s"', { Name: 'King"s' })).toBe(true);
  });

  it('rejects broken clauses with a message naming the problem', () => {
    expect(() => parseWhere('Name=="Acme')).toThrow(WhereSyntaxError);
    expect(() => parseWhere('Name=="Acme" AND')).toThrow(/expression expected/);
    expect(() => parseWhere('(Name=="Acme"')).toThrow(/'\)' expected/);
    expect(() => parseWhere('Name==Acme')).toThrow(/double quotes/);
    expect(() => parseWhere('Name ~ "x"')).toThrow(/unexpected character/);
    expect(() => checkWherePaths(parseWhere('Colour=="red"'), acme, 'Contact')).toThrow("No property or field 'Colour' exists in type 'Contact'");
    expect(() => checkWherePaths(parseWhere('contact.name=="x"'), acme, 'Invoice')).not.toThrow();
  });
});
