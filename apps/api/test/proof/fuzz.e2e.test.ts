// Every route of the contract's table, fuzzed with fast-check: broken bodies, query strings and
// path parameters never get a 5xx, each refusal is a 4xx naming the field, and nothing stored
// changes. Routes added to the table later are fuzzed too, with no edit here.
import { parse as parseQuery } from 'node:querystring';
import fc from 'fast-check';
import { ApiError, type RouteDef, routes } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../helpers.js';
import { ADMIN, buildWorld, changedTables, type ProofHub, harvestIds, snapshotDatabase, startProofHub, waitForQuietDatabase, type WorldIds } from './harness.js';
import {
  applyMutation,
  awkwardUnicode,
  fillPath,
  madeUpParam,
  isMutating,
  type Json,
  mutation,
  nearValid,
  pathParams,
  rawSegment,
  schemaProblems,
  unstorablePaths,
} from './route-inputs.js';

/** Cases per route and part; FUZZ_RUNS scales them (e.g. FUZZ_RUNS=10 for a long hunt). */
const SCALE = Math.max(1, Number(process.env.FUZZ_RUNS ?? '1'));
const RUNS = { body: 120 * SCALE, query: 50 * SCALE, path: 40 * SCALE, strayQuery: 10 * SCALE };

let proof: ProofHub;
let admin: TestClient;
let world: WorldIds;
/** Real ids of the demo workspace for each route's path parameters. */
let ids: Map<string, Record<string, string>>;
const sent = { total: 0, skippedValid: 0 };

beforeAll(async () => {
  proof = await startProofHub('fuzz');
  admin = await proof.login(ADMIN);
  world = await buildWorld(admin);
  ids = await harvestIds(admin, world, routes);
  await waitForQuietDatabase(proof.testDb.url);
}, 120_000);

afterAll(async () => {
  await proof?.close();
});

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

/** Sends one request as the signed-in owner (cookie + CSRF token), the body as raw text. */
async function send(method: string, path: string, body?: string, contentType = 'application/json'): Promise<Answer> {
  sent.total += 1;
  const headers: Record<string, string> = { accept: 'application/json' };
  const cookie = admin.sessionCookie;
  const csrf = admin.csrfToken;
  if (cookie) headers.cookie = cookie;
  if (csrf && method !== 'GET') headers['x-csrf-token'] = decodeURIComponent(csrf);
  if (body !== undefined) headers['content-type'] = contentType;
  const response = await fetch(`${proof.baseUrl}${path}`, { method, headers, body: body ?? null, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // kept as text: the assertions below say so
  }
  return { status: response.status, body: parsed, text };
}

/** Never a 5xx; a refusal is the contract's ApiError with a message. */
function expectNoServerError(answer: Answer, what: string): void {
  expect(answer.status, `${what} → ${answer.status} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  expect(answer.text, `${what}: the route is in the contract but the API does not serve it`).not.toMatch(/"No such endpoint/);
  // Node's HTTP parser refuses a URL longer than its header limit before the app sees it.
  if (answer.status === 431) return;
  if (answer.status >= 400) {
    const error = ApiError.safeParse(answer.body);
    expect(error.success, `${what}: a ${answer.status} that is not an ApiError: ${answer.text.slice(0, 300)}`).toBe(true);
    expect(error.data?.error.message.length ?? 0, what).toBeGreaterThan(10);
  }
}

/** A 400 whose `fields` name at least one of `expected` (or whose message names the body itself). */
function expectFieldNamed(answer: Answer, expected: readonly string[], what: string): void {
  expectNoServerError(answer, what);
  if (answer.status === 431) return;
  expect(answer.status, `${what}: expected 400 naming ${expected.join(', ')}, got ${answer.status} ${answer.text.slice(0, 300)}`).toBe(400);
  const error = ApiError.parse(answer.body).error;
  const named = (error.fields ?? []).map((f) => f.path);
  if (expected.includes('(root)') && named.length === 0) {
    expect(error.message, what).toMatch(/request body/i);
    return;
  }
  expect(
    named.some((path) => expected.includes(path)),
    `${what}: the refusal names ${JSON.stringify(named)}, expected one of ${JSON.stringify(expected)}: ${error.message.slice(0, 300)}`,
  ).toBe(true);
}

/** body-parser's default JSON limit (100 kB), which the API keeps. */
const BODY_LIMIT_BYTES = 100 * 1024;

function expectTooLarge(answer: Answer, what: string): void {
  expectNoServerError(answer, what);
  expect(answer.status, what).toBe(413);
  expect(ApiError.parse(answer.body).error.message, what).toMatch(/too large: the limit is (100 kB|10 MB for an import)/);
}

function realParams(name: string, route: RouteDef): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of pathParams(route.path)) {
    // A route whose ids the world has none of gets a made-up id: a well-formed request for
    // something that does not exist (still fuzzed; refusals then come from the lookup).
    values[param] = ids.get(name)?.[param] ?? madeUpParam(route, param);
  }
  return values;
}

/** A body the schema accepts, found by sampling (undefined when none turns up). */
function sampleValid(schema: NonNullable<RouteDef['body']>): Json | undefined {
  return fc.sample(nearValid(schema), { numRuns: 200, seed: 7 }).find((value) => value !== undefined && schema.safeParse(value).success && unstorablePaths(value).length === 0) ?? undefined;
}

/** The query string exactly as sent, and as the server's parser reads it back. */
function toQuery(value: Json): { text: string; parsed: Record<string, unknown> } {
  const pairs: string[] = [];
  const encode = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  const add = (key: string, item: Json) => {
    const text = typeof item === 'string' ? item : JSON.stringify(item);
    pairs.push(`${encode(key)}=${encode(text)}`);
  };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (Array.isArray(item)) for (const element of item) add(key, element);
      else add(key, item);
    }
  } else {
    add('q', value);
  }
  const text = pairs.join('&');
  return { text, parsed: { ...parseQuery(text) } };
}

const names = Object.keys(routes) as (keyof typeof routes)[];

describe('fuzzing every route of the contract', () => {
  it('covers every route of the table', () => {
    expect(names.length).toBeGreaterThanOrEqual(24);
  });

  for (const name of names) {
    const route: RouteDef = routes[name];
    // Logging out ends the session the fuzz uses; it takes no input to fuzz.
    if (name === 'logout') continue;
    const mutating = isMutating(route);
    const params = pathParams(route.path);

    it(`${route.method} ${route.path}: no 5xx, refusals name the field, nothing stored changes`, async () => {
      const before = await snapshotDatabase(proof.testDb.url);
      const base = realParams(name, route);
      const madeUpIds = params.some((param) => ids.get(name)?.[param] === undefined);
      const path = fillPath(route.path, base);

      if (route.body) {
        const bodySchema = route.body;
        await fc.assert(
          fc.asyncProperty(nearValid(bodySchema), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (valid, mutations) => {
            const body = mutations.reduce<Json>((value, m) => applyMutation(value, m), valid ?? {});
            const expected = [...new Set([...schemaProblems(bodySchema, body), ...unstorablePaths(body)])];
            if (expected.length === 0) {
              // Still a valid request: sending it would change data, so it is not sent.
              sent.skippedValid += 1;
              return;
            }
            const text = JSON.stringify(body);
            const answer = await send(route.method, path, text);
            if (Buffer.byteLength(text) > BODY_LIMIT_BYTES) return expectTooLarge(answer, `${name} body of ${Buffer.byteLength(text)} bytes`);
            expectFieldNamed(answer, expected, `${name} body ${JSON.stringify(body).slice(0, 200)}`);
          }),
          { numRuns: RUNS.body },
        );
        // Bodies that are not JSON, too large or nested beyond reason.
        const broken: readonly [string, string, string][] = [
          ['malformed JSON', '{"kind": "customer", "displayName": ', 'application/json'],
          ['trailing garbage', '{}garbage', 'application/json'],
          ['JSON sent as text', '{"a":1}', 'text/plain'],
          ['CSV sent as JSON', 'name,email\n"Unclosed,a@b.c\n', 'application/json'],
          ['malformed CSV', 'name,email\n"Unclosed quote,a@b.c\nWombat,a@b.c,extra,\u0000\n', 'text/csv'],
          ['deep nesting', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'application/json'],
          // Beyond every route's limit, the CSV import's 10 MB included.
          ['oversized body', JSON.stringify({ displayName: 'x'.repeat(11 * 1024 * 1024) }), 'application/json'],
          ['a bare string', '"just a string"', 'application/json'],
          ['null', 'null', 'application/json'],
        ];
        for (const [label, text, type] of broken) {
          const answer = await send(route.method, path, text, type);
          expectNoServerError(answer, `${name} ${label}`);
          expect(answer.status, `${name} ${label}: ${answer.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
          if (label === 'oversized body') expectTooLarge(answer, `${name} ${label}`);
        }
      }

      if (route.query) {
        const querySchema = route.query;
        await fc.assert(
          fc.asyncProperty(nearValid(querySchema), fc.array(mutation, { minLength: 0, maxLength: 3 }), async (valid, mutations) => {
            const value = mutations.reduce<Json>((v, m) => applyMutation(v, m), valid ?? {});
            const { text, parsed } = toQuery(value);
            const expected = [...new Set([...schemaProblems(querySchema, parsed), ...unstorablePaths(parsed)])];
            if (mutating && expected.length === 0) {
              sent.skippedValid += 1;
              return;
            }
            // A change route gets an invalid body too, so a valid query can never make it act.
            const body = route.body ? '[]' : undefined;
            const answer = await send(route.method, `${path}?${text}`, body);
            if (expected.length > 0) expectFieldNamed(answer, expected, `${name} query ?${text.slice(0, 200)}`);
            else expectNoServerError(answer, `${name} query ?${text.slice(0, 200)}`);
          }),
          { numRuns: RUNS.query },
        );
      }

      if (params.length > 0) {
        const validBody = route.body ? sampleValid(route.body) : undefined;
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...params), rawSegment, async (param, segment) => {
            if (segment.decoded !== null && /^\.+$/.test(segment.decoded)) return;
            const target = fillPath(route.path, { ...Object.fromEntries(Object.entries(base).map(([k, v]) => [k, encodeURIComponent(v)])), [param]: segment.raw }, (v) => v);
            const problems = segment.decoded === null ? [] : [...schemaProblems(route.params, { ...base, [param]: segment.decoded }), ...unstorablePaths({ [param]: segment.decoded })];
            // A bad parameter goes with a valid body, so the refusal must be about the parameter;
            // a well-formed one with an invalid body, so the request can never act.
            const body = route.body ? (problems.length > 0 && validBody !== undefined ? JSON.stringify(validBody) : '[]') : undefined;
            const answer = await send(route.method, target, body);
            const what = `${name} ${param}=${segment.raw.slice(0, 120)}`;
            expectNoServerError(answer, what);
            if (mutating) expect(answer.status, what).toBeGreaterThanOrEqual(400);
            if (segment.decoded === null) {
              expect(answer.status, what).toBe(400);
              expect(ApiError.parse(answer.body).error.message, what).toMatch(/URL/);
            } else {
              if (problems.length > 0) expectFieldNamed(answer, validBody === undefined && route.body ? [...problems, '(root)'] : problems, what);
              else if (!mutating) expect([200, 404], what).toContain(answer.status);
            }
          }),
          { numRuns: RUNS.path },
        );
      }

      if (!mutating) {
        await fc.assert(
          fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.oneof(fc.string(), rawSegment.map((s) => s.decoded ?? '%')), { maxKeys: 4 }), async (stray) => {
            const keys = new Set(Object.keys(route.query ? (route.query as unknown as { shape?: object }).shape ?? {} : {}));
            const extra = Object.fromEntries(Object.entries(stray).filter(([key]) => !keys.has(key)));
            const { text, parsed } = toQuery(extra);
            const answer = await send(route.method, `${path}?${text}`);
            const problems = unstorablePaths(parsed);
            expectNoServerError(answer, `${name} stray query ?${text.slice(0, 200)}`);
            if (problems.length === 0 && route.auth === 'session' && !madeUpIds) expect(answer.status, `${name} ?${text.slice(0, 200)}: ${answer.text.slice(0, 200)}`).toBeLessThan(400);
          }),
          { numRuns: RUNS.strayQuery },
        );
      }

      const after = await snapshotDatabase(proof.testDb.url);
      expect(changedTables(before, after), `${name} changed stored data`).toEqual([]);
    });
  }

  it('stores well-formed but awkward Unicode exactly as sent (RTL marks, combining marks, emoji, astral planes)', async () => {
    await fc.assert(
      fc.asyncProperty(awkwardUnicode, fc.nat({ max: 9999 }), async (text, n) => {
        const displayName = `${text} ${n}`.trim();
        fc.pre(displayName.length <= 500);
        const put = await admin.put<{ id: string; displayName: string }>(`/api/v1/contacts/proof-unicode-${n}`, { kind: 'customer', displayName, notes: text });
        expect(put.status, JSON.stringify(put.body)).toBe(200);
        const read = await admin.get<{ displayName: string }>(`/api/v1/contacts/${put.body.id}`);
        expect(read.body.displayName).toBe(displayName);
      }),
      { numRuns: 25 },
    );
  });

  it('sent thousands of cases in all, and the owner is still signed in', async () => {
    expect(sent.total, `${sent.total} requests sent, ${sent.skippedValid} valid changes not sent`).toBeGreaterThanOrEqual(2000 * SCALE);
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
  });
});
