import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ApiException } from './api-error.js';
import { parseOrThrow, unstorableText } from './zod-issues.js';

const Body = z.object({ name: z.string(), tags: z.array(z.string()).optional() });

function refusal(value: unknown): ApiException {
  try {
    parseOrThrow(Body, value, 'body');
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('text PostgreSQL cannot store', () => {
  it('refuses the NUL character and lone surrogates at any depth, naming the field', () => {
    expect(refusal({ name: 'Acme\u0000' }).fields).toEqual([{ path: 'name', message: expect.stringContaining('NUL character') }]);
    expect(refusal({ name: 'ok', tags: ['fine', 'x\uD800'] }).fields).toEqual([{ path: 'tags.1', message: expect.stringContaining('lone surrogate') }]);
    // Also in a field the schema does not know (it would otherwise be dropped silently).
    expect(refusal({ name: 'ok', extra: '\uDC00' }).fields?.map((f) => f.path)).toEqual(['extra']);
    expect(refusal({ name: 1, tags: ['\u0000'] }).fields?.map((f) => f.path)).toEqual(['name', 'tags.0']);
    expect(refusal({ name: 'ok' , tags: ['\u0000'] }).getStatus()).toBe(400);
  });

  it('keeps well-formed Unicode: emoji, right-to-left marks, combining characters', () => {
    const name = '\u202EAcme\u202C 🏳️‍🌈 e\u0301 شركة 𝕳';
    expect(parseOrThrow(Body, { name }, 'body')).toEqual({ name });
    expect(unstorableText({ a: [name, { b: '\uD83D\uDE00' }] })).toEqual([]);
  });
});
