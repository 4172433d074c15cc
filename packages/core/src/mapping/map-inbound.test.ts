import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, FieldRule } from './field-mapping.js';
import { mapInbound } from './map-inbound.js';

const catalog: FieldSpec[] = [
  { id: 'DisplayName', label: 'Display name', type: 'string', required: true },
  { id: 'Mobile', label: 'Mobile', type: 'phone' },
  { id: 'Phone', label: 'Phone', type: 'phone' },
  { id: 'Balance', label: 'Balance', type: 'money', writable: false },
  { id: 'Card', label: 'Card', type: 'string', secure: true },
];
const rule = (source: string, target: string, direction: FieldRule['direction'], enabled = true): FieldRule => ({ source, target, enabled, direction, transform: { kind: 'none' } });
const mapping: FieldMapping = {
  version: 3, effectiveFrom: '2026-01-01T00:00:00Z',
  rules: [rule('displayName', 'DisplayName', 'out'), rule('phones[mobile]', 'Mobile', 'both'), rule('customFields.balance', 'Balance', 'in'), rule('notes', 'Card', 'in'), rule('phones[primary]', 'Phone', 'in', false)],
};

describe('mapInbound', () => {
  it('reads only enabled in/both rules, never a secure field, and keeps absent apart from empty', () => {
    const result = mapInbound({ DisplayName: 'Renamed', Mobile: ' ', Balance: '12.50', Card: '4111', Phone: '+612' }, mapping, catalog);
    expect(result.values).toEqual({ 'phones[mobile]': null, 'customFields.balance': '12.50' });
    expect(result.problems).toMatchObject([{ field: 'Card', code: 'secure_target' }]);
    expect(mapInbound({ DisplayName: 'x' }, mapping, catalog).values).toEqual({});
  });

  it('reports two rules reading into one contact field and keeps the first', () => {
    const twice: FieldMapping = { ...mapping, rules: [rule('displayName', 'DisplayName', 'both'), rule('phones[mobile]', 'Mobile', 'in'), rule('phones[mobile]', 'Phone', 'in')] };
    const result = mapInbound({ DisplayName: 'A', Mobile: '+611', Phone: '+612' }, twice, catalog);
    expect(result.values).toEqual({ displayName: 'A', 'phones[mobile]': '+611' });
    expect(result.problems).toMatchObject([{ field: 'Phone', message: 'phones[mobile] is read in from both Mobile and Phone' }]);
  });
});
