import { isConnectorError } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
import { batchIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from './client.js';

describe('list checkpoints', () => {
  it('round-trip', () => {
    const checkpoint = { since: 1_763_900_000_123, seen: ['a', 'b'] };
    expect(decodeCheckpoint(encodeCheckpoint(checkpoint))).toEqual(checkpoint);
    expect(decodeCheckpoint(encodeCheckpoint({ seen: [] }))).toEqual({ seen: [] });
  });

  it.each(['', '2024-01-01T00:00:00Z', 'xero-contacts:v1:not-base64-json', `xero-contacts:v1:${Buffer.from('{"since":"x"}').toString('base64url')}`])('refuses %j with validation on checkpoint', (value) => {
    let caught: unknown;
    try {
      decodeCheckpoint(value);
    } catch (error) {
      caught = error;
    }
    expect(isConnectorError(caught) && { kind: caught.kind, field: caught.field }).toEqual({ kind: 'validation', field: 'checkpoint' });
  });
});

describe('Idempotency-Key of a write', () => {
  it('is stable for the same items and differs for others or for another operation', () => {
    expect(batchIdempotencyKey('create', ['a', 'b'])).toBe(batchIdempotencyKey('create', ['a', 'b']));
    expect(batchIdempotencyKey('create', ['a', 'b'])).not.toBe(batchIdempotencyKey('create', ['a', 'c']));
    expect(batchIdempotencyKey('create', ['a'])).not.toBe(batchIdempotencyKey('update', ['a']));
  });

  it('never exceeds Xero\'s 128 characters, whatever the item keys', () => {
    expect(batchIdempotencyKey('create', ['k'.repeat(500)]).length).toBeLessThanOrEqual(MAX_IDEMPOTENCY_KEY_LENGTH);
    expect(batchIdempotencyKey('update', Array.from({ length: 50 }, (_, i) => `key-${i}`)).length).toBeLessThanOrEqual(MAX_IDEMPOTENCY_KEY_LENGTH);
    expect(batchIdempotencyKey('create', ['ünïcode key'])).toMatch(/^[\x21-\x7e]+$/);
  });
});
