import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, signatureHeader } from './webhook-dispatcher.service.js';

describe('webhook signing and retries', () => {
  it('signs "<t>.<body>" with the secret, as the README tells receivers to check', () => {
    const header = signatureHeader('whsec_test', '{"a":1}', 1_700_000_000);
    expect(header).toBe(`t=1700000000,v1=${createHmac('sha256', 'whsec_test').update('1700000000.{"a":1}').digest('hex')}`);
  });

  it('doubles the wait per attempt within ±20%, capped at six hours', () => {
    expect(retryDelayMs(1, 10_000, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(4, 10_000, () => 0.5)).toBe(80_000);
    expect(retryDelayMs(3, 10_000, () => 0)).toBe(32_000);
    expect(retryDelayMs(3, 10_000, () => 1)).toBe(48_000);
    expect(retryDelayMs(40, 10_000, () => 0.5)).toBe(6 * 60 * 60 * 1000);
  });
});
