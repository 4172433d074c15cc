// Inputs for fuzzing the contract's routes: near-valid values read off each route's zod schemas,
// then broken in the ways callers break them (wrong types, missing fields, huge strings, bad
// Unicode, unknown fields). Works for any route added to the table later.
import fc from 'fast-check';
import type { z } from 'zod';
import type { RouteDef } from '@ledgerlink/contract';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: Record<string, unknown> } }[];
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Record<string, string | number>;
  readonly values?: readonly unknown[];
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly format?: string;
  readonly pattern?: RegExp;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function checkValue(def: Def, name: string, key: string): number | undefined {
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === name && typeof c[key] === 'number') return c[key];
  }
  return undefined;
}

function regexCheck(def: Def): RegExp | undefined {
  if (def.pattern instanceof RegExp) return def.pattern;
  for (const check of def.checks ?? []) {
    const pattern = check._zod.def.pattern;
    if (pattern instanceof RegExp) return pattern;
  }
  return undefined;
}

/** Values that mostly satisfy `schema` (the fuzz oracle re-checks every input with the schema). */
export function nearValid(schema: z.ZodType, depth = 0): fc.Arbitrary<Json | undefined> {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const min = checkValue(def, 'min_length', 'minimum') ?? 0;
      const max = Math.min(checkValue(def, 'max_length', 'maximum') ?? 40, Math.max(min, 40));
      if (def.format === 'email') return fc.emailAddress().filter((e) => e.length <= max);
      if (def.format === 'datetime') return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      if (def.format === 'url') return fc.webUrl();
      if (def.format === 'uuid' || def.format === 'guid') return fc.uuid();
      const pattern = regexCheck(def);
      if (pattern) return fc.stringMatching(pattern).filter((s) => s.length >= min && s.length <= max);
      return fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }).filter((s) => s.trim().length >= min);
    }
    case 'number': {
      const min = checkValue(def, 'greater_than', 'value') ?? -1000;
      const max = checkValue(def, 'less_than', 'value') ?? 1000;
      const ints = fc.integer({ min: Math.ceil(Math.max(min, -1e6)), max: Math.floor(Math.min(max, 1e6)) });
      return (def as { coerce?: boolean }).coerce ? ints.map(String) : ints;
    }
    case 'int':
      return fc.integer({ min: 0, max: 1000 });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { a: 'a' }));
    case 'literal':
      return fc.constantFrom(...((def.values ?? [null]) as Json[]));
    case 'null':
      return fc.constant(null);
    case 'optional':
      return def.innerType ? fc.option(nearValid(def.innerType, depth), { nil: undefined, freq: 3 }) : fc.constant(undefined);
    case 'nullable':
      return def.innerType ? fc.option(nearValid(def.innerType, depth), { nil: null, freq: 4 }) : fc.constant(null);
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
      return def.innerType ? fc.option(nearValid(def.innerType, depth), { nil: undefined, freq: 2 }) : fc.constant(undefined);
    case 'pipe':
      return def.in ? nearValid(def.in, depth) : fc.constant(undefined);
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => nearValid(option, depth)));
    case 'array': {
      const min = checkValue(def, 'min_length', 'minimum') ?? 0;
      const max = Math.min(checkValue(def, 'max_length', 'maximum') ?? 4, Math.max(min, 4));
      if (!def.element || depth > 4) return fc.constant([]);
      return fc.array(nearValid(def.element, depth + 1), { minLength: min, maxLength: max }).map((items) => items.map((item) => item ?? null));
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const shape = def.shape ?? {};
      const parts: Record<string, fc.Arbitrary<Json | undefined>> = {};
      for (const [key, field] of Object.entries(shape)) parts[key] = nearValid(field, depth + 1);
      return fc.record(parts).map((record) => {
        const out: { [key: string]: Json } = {};
        for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
        return out;
      });
    }
    case 'record':
      return def.valueType && depth <= 4
        ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), nearValid(def.valueType, depth + 1).map((v) => v ?? null), { maxKeys: 3 })
        : fc.constant({});
    default:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  }
}

/** Strings people and attackers send that break naive code. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  'true',
  '[]',
  '{}',
  "'; DROP TABLE \"Contact\"; --",
  '" OR 1=1 --',
  "O'Brien & Sons' \\ Pty",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '%',
  '%zz',
  '\u0000',
  'abc\u0000def',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDBFF',
  '\u202Emoc.elpmaxe\u202C',
  '\u200F\u200E\u2066\u2069',
  '\uFEFFbom',
  '\u0301\u0301\u0301combining',
  'Z\u0351\u0362\u0353a\u0367\u0359\u0348l\u0360g\u0344o',
  '\uFFFF\uFFFE',
  '𝕳𝖊𝖑𝖑𝖔 🏳️‍🌈 👨‍👩‍👧‍👦',
  'الشركة المحدودة',
  '株式会社テスト',
  '\r\n\t\v\f',
  'a'.repeat(257),
];

/** Strings of bad Unicode (NUL, lone surrogates) the API must refuse naming the field. */
export const badUnicode: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a\uD83D', '\uDE00b'),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, bad, b]) => `${a}${bad}${b}`);

/** Well-formed but awkward Unicode (RTL marks, combining characters, emoji, astral planes). */
export const awkwardUnicode: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  fc.constantFrom('\u202Eevil\u202C', '\u200F\u200E', '\u2066rtl\u2069', '\uFEFF', 'e\u0301\u0301', '🏳️‍🌈', '\u{10FFFF}', '\u00A0\u2028\u2029'),
);

/** A string much larger than any field allows (but below the body size limit). */
export const hugeString: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 1_000, max: 20_000 }), fc.constantFrom('x', 'é', '€', '😀', ' ')).map(([n, c]) => c.repeat(n));

const wrongType: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '', [], {}, [null], { '': null }),
  fc.integer().map((n): Json => n),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.string({ maxLength: 10 }),
);

const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: badUnicode },
  { weight: 2, arbitrary: awkwardUnicode },
  { weight: 1, arbitrary: hugeString },
);

const unknownKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'workspaceId', 'isAdmin', 'role', '$where', '', ' ', 'a'.repeat(300)),
  fc.string({ minLength: 1, maxLength: 12 }),
);

export type Mutation =
  | { readonly kind: 'wrongType'; readonly at: number; readonly value: Json }
  | { readonly kind: 'remove'; readonly at: number }
  | { readonly kind: 'string'; readonly at: number; readonly value: string }
  | { readonly kind: 'unknownField'; readonly at: number; readonly key: string; readonly value: Json };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('wrongType' as const), at: fc.nat(), value: wrongType }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('string' as const), at: fc.nat(), value: weirdString }),
  fc.record({ kind: fc.constant('unknownField' as const), at: fc.nat(), key: unknownKey, value: fc.oneof(wrongType, weirdString) }),
);

type Path = readonly (string | number)[];

function paths(value: Json, prefix: Path = []): Path[] {
  const here: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => here.push(...paths(item, [...prefix, index])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) here.push(...paths(item, [...prefix, key]));
  return here;
}

function objectPaths(value: Json, prefix: Path = []): Path[] {
  return paths(value, prefix).filter((path) => {
    const target = get(value, path);
    return target !== null && typeof target === 'object' && !Array.isArray(target);
  });
}

function get(value: Json, path: Path): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? current[key as number] : current[key as string];
  }
  return current;
}

function setAt(value: Json, path: Path, next: Json | undefined): Json {
  if (path.length === 0) return next === undefined ? null : next;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (next === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number] ?? null, rest, next);
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: { [key: string]: Json } = { ...value };
    if (next === undefined && rest.length === 0) delete copy[head as string];
    else {
      const child = setAt(copy[head as string] ?? null, rest, next);
      Object.defineProperty(copy, head as string, { value: child, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  return value;
}

/** Applies `m` to `value` (which is not changed), at the `m.at`-th place it could go. */
export function applyMutation(value: Json, m: Mutation): Json {
  if (m.kind === 'unknownField') {
    const targets = objectPaths(value);
    const target = targets[m.at % Math.max(1, targets.length)];
    if (!target) return value;
    const object = get(value, target) as { [key: string]: Json };
    const copy: { [key: string]: Json } = { ...object };
    // defineProperty so a "__proto__" key is an own, serialised field (as JSON.parse makes it).
    Object.defineProperty(copy, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    return setAt(value, target, copy);
  }
  const all = paths(value);
  const candidates = m.kind === 'remove' ? all.filter((p) => p.length > 0) : all;
  const target = candidates[m.at % Math.max(1, candidates.length)];
  if (!target) return value;
  if (m.kind === 'remove') return setAt(value, target, undefined);
  return setAt(value, target, m.value);
}

/** The `:name` parameters of a route's path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] ?? '');
}

/** The route's path with each parameter replaced by `encode(value)`. */
export function fillPath(path: string, values: Readonly<Record<string, string>>, encode: (value: string) => string = encodeURIComponent): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encode(values[name] ?? ''));
}

/**
 * A path segment as raw text on the wire: well-formed parts percent-encoded, plus the malformed
 * encodings a client can send (`%`, `%zz`, an encoded lone surrogate, NUL).
 */
export const rawSegment: fc.Arbitrary<{ readonly raw: string; readonly decoded: string | null }> = fc.oneof(
  fc.oneof(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length > 0 && !/[\uD800-\uDFFF]/.test(s))), fc.string({ minLength: 1, maxLength: 3000 }))
    .filter((s) => !/[\uD800-\uDFFF]/.test(s))
    .map((s) => ({ raw: encodeURIComponent(s), decoded: s })),
  fc.constantFrom(
    { raw: '%', decoded: null },
    { raw: '%zz', decoded: null },
    { raw: 'a%ED%A0%80b', decoded: null },
    { raw: '%C0%AF', decoded: null },
    { raw: '%FF%FE', decoded: null },
    { raw: '%00', decoded: '\u0000' },
    { raw: 'x%00y', decoded: 'x\u0000y' },
  ),
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Bad text (NUL, lone surrogate) anywhere in `value`: the API refuses it naming these paths. */
export function unstorablePaths(value: unknown, path: Path = []): string[] {
  if (typeof value === 'string') return value.includes('\u0000') || LONE_SURROGATE.test(value) ? [pathText(path)] : [];
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, item]) => [...(typeof key === 'string' && unstorablePaths(key).length > 0 ? [pathText([...path, key])] : []), ...unstorablePaths(item, [...path, key])]);
}

export function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** Paths the schema names when it refuses `value` (empty when it accepts it). */
export function schemaProblems(schema: z.ZodType | undefined, value: unknown): string[] {
  if (!schema) return [];
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => pathText(issue.path));
}

export function isMutating(route: RouteDef): boolean {
  return route.method !== 'GET';
}

export type { Json };

/**
 * A well-formed value for a path parameter the workspace has no real id for: one its schema
 * accepts (so the request gets past validation), that names nothing stored.
 */
export function madeUpParam(route: RouteDef, param: string): string {
  const schema = (route.params as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape?.[param];
  const fallback = `proof-missing-${param}`;
  if (!schema || schema.safeParse(fallback).success) return fallback;
  const found = fc.sample(nearValid(schema), { numRuns: 100, seed: 3 }).find((v) => typeof v === 'string' && v.length > 0 && !/^\.+$/.test(v) && schema.safeParse(v).success);
  return typeof found === 'string' ? found : fallback;
}
