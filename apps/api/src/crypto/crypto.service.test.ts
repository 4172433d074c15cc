import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoService, DecryptionError } from './crypto.service.js';

const crypto = new CryptoService(randomBytes(32));

describe('CryptoService', () => {
  it('round-trips credentials and never stores the plaintext', () => {
    const credentials = { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: '2030-01-01T00:00:00.000Z' };
    const sealed = crypto.encryptJson(credentials, 'conn_1');
    expect(sealed).not.toContain('at-1');
    expect(sealed).not.toContain('rt-1');
    expect(crypto.decryptJson(sealed, 'conn_1')).toEqual(credentials);
  });

  it('uses a fresh nonce each time, so equal secrets give different ciphertexts', () => {
    expect(crypto.encrypt('same', 'c')).not.toBe(crypto.encrypt('same', 'c'));
  });

  it('detects a tampered ciphertext', () => {
    const sealed = crypto.encrypt('{"accessToken":"at"}', 'conn_1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    const tampered = [parts[0], parts[1], parts[2], body.toString('base64url')].join('.');
    expect(() => crypto.decrypt(tampered, 'conn_1')).toThrow(DecryptionError);
  });

  it('refuses a ciphertext moved to another record', () => {
    const sealed = crypto.encrypt('secret', 'conn_1');
    expect(() => crypto.decrypt(sealed, 'conn_2')).toThrow(/belongs to another record/);
  });

  it('refuses to decrypt with a different key', () => {
    const sealed = crypto.encrypt('secret', 'conn_1');
    expect(() => new CryptoService(randomBytes(32)).decrypt(sealed, 'conn_1')).toThrow(DecryptionError);
  });
});
