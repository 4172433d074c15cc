import type { z } from 'zod';
import { ApiErrors, type FieldProblem } from './api-error.js';

type Issue = z.core.$ZodRawIssue;

/**
 * Messages that say what is wrong and how to fix it. Used as the per-parse error map, so a
 * schema's own custom message (e.g. "choose at least one contact to upload") still wins.
 */
export function friendlyIssueMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${article(issue.expected)} (got ${describe(issue.input)})`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array') return `must list at least ${min} item${min === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array') return `must list at most ${max} items`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${max}`;
    }
    case 'invalid_format':
      if (issue.format === 'email') return 'must be an email address like name@example.com';
      if (issue.format === 'url') return 'must be a URL like https://example.com';
      return `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return undefined;
  }
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text PostgreSQL cannot store as sent: the NUL character (refused by the database, so it would
 * fail deep inside a write) and lone UTF-16 surrogates (not Unicode; silently replaced if stored).
 * Returns one problem per string (or key) that carries either, at any depth.
 */
export function unstorableText(value: unknown, path: PropertyKey[] = [], depth = 0): FieldProblem[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return [{ path: issuePath(path), message: 'must not contain the NUL character (U+0000): remove it' }];
    if (LONE_SURROGATE.test(value)) return [{ path: issuePath(path), message: 'is not valid Unicode (it has a lone surrogate): send well-formed UTF-8 text' }];
    return [];
  }
  if (depth > 32 || value === null || typeof value !== 'object') return [];
  const entries: [PropertyKey, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, item]) => [
    ...(typeof key === 'string' && unstorableText(key).length > 0 ? [{ path: issuePath([...path, key]), message: 'is a field name that is not valid text: remove the field' }] : []),
    ...unstorableText(item, [...path, key], depth + 1),
  ]);
}

/** Parses `value` with `schema`, or throws a 400 naming each bad field and the fix. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(value, { error: friendlyIssueMessage });
  const unstorable = unstorableText(value);
  if (result.success && unstorable.length === 0) return result.data;
  const issues = result.success ? [] : result.error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
  const fields: FieldProblem[] = [...issues, ...unstorable.filter((u) => !issues.some((i) => i.path === u.path))];
  const summary = fields.map((f) => `${f.path} ${f.message}`).join('; ');
  const label = where === 'body' ? 'The request body' : where === 'query' ? 'The query string' : 'The URL';
  throw ApiErrors.invalid(`${label} has ${fields.length} problem${fields.length === 1 ? '' : 's'}: ${summary}.`, fields);
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
