import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyTransform, truncateText } from './apply-transform.js';
import type { FieldTransform } from './field-mapping.js';

describe('transforms', () => {
  it.each<[string, FieldTransform, string]>([
    ['  Acme   Pty  Ltd ', { kind: 'trim' }, 'Acme Pty Ltd'],
    ['acme', { kind: 'upper' }, 'ACME'],
    ['ACME', { kind: 'lower' }, 'acme'],
    ['Acme Pty Ltd', { kind: 'truncate', maxLength: 4 }, 'Acme'],
    ['as is ', { kind: 'none' }, 'as is '],
    ['+61 2 9999 1234', { kind: 'phone_e164' }, '+61299991234'],
    ['+61 (0)2 9999-1234', { kind: 'phone_e164' }, '+61299991234'],
    ['0061 2 9999 1234', { kind: 'phone_e164' }, '+61299991234'],
    ['(02) 9999 1234', { kind: 'phone_e164', defaultCallingCode: '61' }, '+61299991234'],
    ['415.555.0100', { kind: 'phone_e164', defaultCallingCode: '1' }, '+14155550100'],
  ])('%j through %j gives %j', (input, transform, expected) => {
    expect(applyTransform(input, transform)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, FieldTransform, RegExp]>([
    ['(02) 9999 1234', { kind: 'phone_e164' }, /no country code/],
    ['555-0100 ext 12', { kind: 'phone_e164', defaultCallingCode: '1' }, /letters or an extension/],
    ['+12', { kind: 'phone_e164' }, /valid international number/],
  ])('%j cannot become E.164 (%j) and the problem says why', (input, transform, message) => {
    const result = applyTransform(input, transform);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
    expect(!result.ok && result.fix.length).toBeGreaterThan(0);
  });

  it('truncation never exceeds the limit and never splits an emoji', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (text, max) => {
        const cut = truncateText(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(text.startsWith(cut)).toBe(true);
        expect(cut).not.toMatch(/[\uD800-\uDBFF]$/);
      }),
    );
  });

  it('a number in E.164 form is kept as is', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{7,14}$/), (digits) => {
        expect(applyTransform(`+${digits}`, { kind: 'phone_e164' })).toEqual({ ok: true, value: `+${digits}` });
      }),
    );
  });
});
