import { describe, expect, it } from 'vitest';
import { likeContains, MAX_REQUEST_ID_LENGTH, qboString, requestIdFor } from './client.js';

describe('QBO query string literals', () => {
  it("escapes a single quote with a backslash (Cutlery 'R Us)", () => {
    expect(qboString("Cutlery 'R Us")).toBe("'Cutlery \\'R Us'");
  });

  it('escapes backslashes before quotes so a trailing backslash cannot end the literal', () => {
    expect(qboString('C:\\')).toBe("'C:\\\\'");
    expect(qboString("a\\'b")).toBe("'a\\\\\\'b'");
  });

  it('keeps non-ASCII text as is (the statement is URL-encoded once, as UTF-8)', () => {
    expect(likeContains('Zoë Łódź 東京')).toBe("'%Zoë Łódź 東京%'");
  });

  it('normalises decomposed accents so a search matches names stored precomposed', () => {
    expect(likeContains('Zoe\u0308')).toBe("'%Zo\u00eb%'");
  });
});

describe('requestid from an idempotency key', () => {
  it('uses a key of up to 50 printable characters unchanged', () => {
    const uuid = '0b6f9c1e-3f57-4d8e-9a51-6b0c0e0f2a11';
    expect(requestIdFor(uuid)).toBe(uuid);
    expect(requestIdFor('x'.repeat(50))).toBe('x'.repeat(50));
  });

  it('hashes longer keys to a stable value within the 50-character limit', () => {
    const long = `contact:${'9'.repeat(60)}:upload`;
    const id = requestIdFor(long);
    expect(id.length).toBeLessThanOrEqual(MAX_REQUEST_ID_LENGTH);
    expect(requestIdFor(long)).toBe(id);
    expect(requestIdFor(`${long}!`)).not.toBe(id);
  });

  it('hashes keys with spaces or non-ASCII characters', () => {
    expect(requestIdFor('upload ä')).toMatch(/^ll-[A-Za-z0-9_-]{43}$/);
  });
});
