import { ConnectorErrors } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './queues.js';

describe('retryDelayMs', () => {
  it("waits as long as the provider's Retry-After asks", () => {
    expect(retryDelayMs(1, ConnectorErrors.rateLimited('slow down', 42))).toBe(42_000);
  });

  it('backs off exponentially otherwise, capped at a minute', () => {
    const transient = ConnectorErrors.transient('down');
    expect([1, 2, 3, 4, 10].map((n) => retryDelayMs(n, transient))).toEqual([1000, 2000, 4000, 8000, 60_000]);
  });
});
