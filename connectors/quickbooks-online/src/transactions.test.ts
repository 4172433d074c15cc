import { describe, expect, it } from 'vitest';
import { MAX_BATCH_REQUEST_ID, batchRequestIdFor } from './transactions.js';

describe('batch requestid', () => {
  it('is the same for the same keys in the same order, fits QBO\'s 36 characters, and differs otherwise', () => {
    const keys = ['a'.repeat(200), 'push-2'];
    const id = batchRequestIdFor(keys);
    expect(id).toBe(batchRequestIdFor([...keys]));
    expect(id.length).toBeLessThanOrEqual(MAX_BATCH_REQUEST_ID);
    expect(batchRequestIdFor([...keys].reverse())).not.toBe(id);
    // Length-prefixed: ["ab", "c"] and ["a", "bc"] are different batches.
    expect(batchRequestIdFor(['ab', 'c'])).not.toBe(batchRequestIdFor(['a', 'bc']));
  });
});
