// Attacks on the hub, over the whole route table: callers without a session, viewers, cookie
// requests without the CSRF token, another workspace's owner; forged OAuth callbacks; password
// guessing; and what an attacker who reads the database or the logs would find.
import fc from 'fast-check';
import { type ApiError, type RouteDef, routes } from '@ledgerlink/contract';
import { sandboxConnectorEnv } from '@ledgerlink/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentInSandbox, TestClient } from '../helpers.js';
import {
  ADMIN,
  AU_REALM,
  buildWorld,
  changedTables,
  dumpDatabase,
  OTHER,
  type ProofHub,
  harvestIds,
  snapshotDatabase,
  startProofHub,
  startTokenRecorder,
  type TokenRecorder,
  VIEWER,
  waitForQuietDatabase,
  type WorldIds,
} from './harness.js';
import { fillPath, type Json, madeUpParam, nearValid, pathParams, unstorablePaths } from './route-inputs.js';

let recorder: TokenRecorder;
let proof: ProofHub;
let admin: TestClient;
let viewer: TestClient;
let other: TestClient;
let world: WorldIds;
/** Real ids of the demo workspace for each route's path parameters. */
let ids: Map<string, Record<string, string>>;

beforeAll(async () => {
  proof = await startProofHub('attack', {
    connectorEnv: async (sandboxUrl) => {
      recorder = await startTokenRecorder(sandboxUrl);
      // Only the token endpoint goes through the recorder: what it answers is what the hub got.
      return { ...sandboxConnectorEnv(sandboxUrl), LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_TOKEN_ENDPOINT: `${recorder.url}/qbo/oauth2/v1/tokens/bearer` };
    },
  });
  [admin, viewer, other] = await Promise.all([proof.login(ADMIN), proof.login(VIEWER), proof.login(OTHER)]);
  world = await buildWorld(admin);
  ids = await harvestIds(admin, world, routes);
  await waitForQuietDatabase(proof.testDb.url);
}, 120_000);

afterAll(async () => {
  await proof?.close();
  await recorder?.close();
});

const names = Object.keys(routes) as (keyof typeof routes)[];
const sessionRoutes = names.filter((name) => routes[name].auth === 'session');
/**
 * Routes that change data: every non-GET route except dry runs (a path ending in `/preview`
 * computes an answer and stores nothing; the snapshot checks below hold it to that).
 */
const DRY_RUN = /\/preview$/;
const mutatingSessionRoutes = sessionRoutes.filter((name) => routes[name].method !== 'GET' && !DRY_RUN.test(routes[name].path));
const dryRunRoutes = sessionRoutes.filter((name) => routes[name].method !== 'GET' && DRY_RUN.test(routes[name].path));

/** The route's path with the demo workspace's real ids (a made-up id where it has none of that kind). */
function demoPath(name: string, route: RouteDef): string {
  const values: Record<string, string> = {};
  for (const param of pathParams(route.path)) values[param] = ids.get(name)?.[param] ?? madeUpParam(route, param);
  return fillPath(route.path, values);
}

/** A body the route's schema accepts (so a refusal cannot come from validation), else `{}`. */
function validBody(route: RouteDef): Json | undefined {
  if (!route.body) return route.method === 'GET' ? undefined : {};
  const schema = route.body;
  return fc.sample(nearValid(schema), { numRuns: 300, seed: 11 }).find((v) => v !== undefined && schema.safeParse(v).success && unstorablePaths(v).length === 0) ?? {};
}

async function expectNothingChanged<T>(work: () => Promise<T>): Promise<T> {
  const before = await snapshotDatabase(proof.testDb.url);
  const result = await work();
  expect(changedTables(before, await snapshotDatabase(proof.testDb.url)), 'stored data changed').toEqual([]);
  return result;
}

describe('authorisation over every route of the table', () => {
  it('answers 401 to a caller with no session and no key on every session route, and stores nothing', async () => {
    expect(sessionRoutes.length).toBeGreaterThanOrEqual(20);
    await expectNothingChanged(async () => {
      for (const name of sessionRoutes) {
        const route: RouteDef = routes[name];
        const anonymous = new TestClient(proof.baseUrl);
        const answer = await anonymous.request<ApiError>(route.method, demoPath(name, route), validBody(route));
        expect([name, answer.status, answer.body.error?.code]).toEqual([name, 401, 'unauthorized']);
        // A forged session cookie is no better.
        const forged = await fetch(`${proof.baseUrl}${demoPath(name, route)}`, { method: route.method, headers: { cookie: 'll_session=forged-session-token' } });
        expect([name, forged.status]).toEqual([name, 401]);
      }
    });
  });

  it('refuses the viewer with 403 naming the role on every mutating route, and nothing changes', async () => {
    expect(mutatingSessionRoutes.length).toBeGreaterThanOrEqual(10);
    await expectNothingChanged(async () => {
      // Signing out and moving one's own session to another of one's workspaces are the person's own, not the workspace's.
      for (const name of mutatingSessionRoutes.filter((n) => n !== 'logout' && n !== 'switchWorkspace')) {
        const route: RouteDef = routes[name];
        const answer = await viewer.request<ApiError>(route.method, demoPath(name, route), validBody(route));
        expect([name, answer.status]).toEqual([name, 403]);
        expect(answer.body.error.message, name).toMatch(/needs the admin role/);
      }
    });
  });

  it('lets the viewer run dry runs (previews) without storing anything', async () => {
    await expectNothingChanged(async () => {
      for (const name of dryRunRoutes) {
        const route: RouteDef = routes[name];
        const answer = await viewer.request<ApiError>(route.method, demoPath(name, route), validBody(route));
        expect(answer.status, `${name}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
        expect([name, answer.status]).not.toEqual([name, 401]);
      }
    });
  });

  it('refuses a cookie-authenticated change without the CSRF token, or with a forged one, on every mutating route', async () => {
    await expectNothingChanged(async () => {
      for (const name of mutatingSessionRoutes) {
        const route: RouteDef = routes[name];
        for (const token of [undefined, 'f'.repeat(64), '']) {
          admin.csrf = false;
          try {
            const headers: Record<string, string> = token === undefined ? {} : { 'x-csrf-token': token };
            const answer = await admin.request<ApiError>(route.method, demoPath(name, route), validBody(route), headers);
            expect([name, token, answer.status, answer.body.error?.code]).toEqual([name, token, 403, 'csrf_failed']);
          } finally {
            admin.csrf = true;
          }
        }
      }
    });
    // The session is intact: the same owner with the token still works.
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('needs no CSRF token with an API key (a browser never sends the header by itself)', async () => {
    await expectNothingChanged(async () => {
      for (const name of mutatingSessionRoutes) {
        const route: RouteDef = routes[name];
        // Only routes that take input: an invalid body or an unknown id keeps the request from acting.
        if (!route.body && pathParams(route.path).length === 0) continue;
        const values = Object.fromEntries(pathParams(route.path).map((p) => [p, p === 'externalId' ? 'proof-key-csrf' : `unknown-${p}`]));
        const response = await fetch(`${proof.baseUrl}${fillPath(route.path, values)}`, {
          method: route.method,
          headers: { authorization: `Bearer ${world.apiKey}`, 'content-type': 'application/json' },
          body: route.body ? '[]' : null,
        });
        const body = (await response.json()) as ApiError;
        expect(response.status, `${name}: ${JSON.stringify(body)}`).toBeLessThan(500);
        expect([name, body.error?.code]).not.toEqual([name, 'csrf_failed']);
        expect(response.status, name).not.toBe(401);
      }
    });
  });

  it("answers 404 to another workspace's owner for every route that takes this workspace's ids, and nothing changes", async () => {
    const withIds = sessionRoutes.filter((name) => pathParams(routes[name].path).some((p) => p !== 'externalId'));
    expect(withIds.length).toBeGreaterThanOrEqual(15);
    const checkedWithRealIds: string[] = [];
    await expectNothingChanged(async () => {
      for (const name of withIds) {
        const route: RouteDef = routes[name];
        const params = pathParams(route.path).filter((p) => p !== 'externalId');
        if (params.every((p) => ids.get(name)?.[p] !== undefined)) checkedWithRealIds.push(name);
        const answer = await other.request<ApiError>(route.method, demoPath(name, route), validBody(route));
        expect([name, answer.status, answer.body.error?.code]).toEqual([name, 404, 'not_found']);
        expect(answer.body.error.message, name).toContain('was not found in this workspace');
      }
    });
    // The routes over contacts, connections, uploads, pulls, runs and keys used real ids.
    expect(checkedWithRealIds.length).toBeGreaterThanOrEqual(14);
    // And the other owner's lists show none of this workspace's data.
    expect((await other.get('/api/v1/connections')).body).toEqual([]);
    expect((await other.get<{ total: number }>('/api/v1/contacts')).body.total).toBe(0);
  });
});

describe('OAuth callbacks that were not started by this person, or are stale', () => {
  async function connection(id: string) {
    return proof.testDb.database.prisma.connection.findUniqueOrThrow({ where: { id } });
  }

  it('refuses a callback with an unknown state, or none, and changes nothing', async () => {
    await expectNothingChanged(async () => {
      for (const query of ['state=forged-state&code=abc&realmId=' + AU_REALM, 'code=abc&realmId=' + AU_REALM, 'state=&code=abc', 'state=%00&code=%ff']) {
        const answer = await admin.get(`/api/v1/oauth/callback?${query}`);
        expect(answer.status, query).toBe(302);
        const location = new URL(answer.headers.get('location') ?? '');
        expect(location.searchParams.get('error'), query).toMatch(/start connecting again/);
        expect(location.searchParams.get('connected')).toBeNull();
      }
    });
  });

  it('refuses a reused callback: the first use connects, the replay changes nothing', async () => {
    const created = await admin.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'quickbooks-online' });
    const callback = await consentInSandbox(created.body.authorizeUrl, AU_REALM);
    const first = await admin.get(callback);
    expect(first.headers.get('location')).toContain(`connected=${created.body.connectionId}`);
    const connected = await connection(created.body.connectionId);
    expect(connected.status).toBe('connected');
    await waitForQuietDatabase(proof.testDb.url);
    const replay = await expectNothingChanged(() => admin.get(callback));
    expect(new URL(replay.headers.get('location') ?? '').searchParams.get('error')).toMatch(/already used|not known/);
    expect((await connection(created.body.connectionId)).credentials).toBe(connected.credentials);
  });

  it("refuses a callback brought by another person's session, and leaves the state to its owner", async () => {
    const created = await admin.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'quickbooks-online' });
    const callback = await consentInSandbox(created.body.authorizeUrl, AU_REALM);
    const stolen = await expectNothingChanged(() => other.get(callback));
    expect(new URL(stolen.headers.get('location') ?? '').searchParams.get('error')).toMatch(/another Ledgerlink session/);
    const anonymous = await expectNothingChanged(() => new TestClient(proof.baseUrl).get(callback));
    expect(new URL(anonymous.headers.get('location') ?? '').searchParams.get('error')).toMatch(/another Ledgerlink session/);
    expect((await connection(created.body.connectionId)).status).toBe('pending');
    // The person who started it still can finish.
    expect((await admin.get(callback)).headers.get('location')).toContain(`connected=${created.body.connectionId}`);
    await waitForQuietDatabase(proof.testDb.url);
  });

  it('refuses an expired state: the connection is not connected and no other connection changes', async () => {
    const created = await admin.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'quickbooks-online' });
    const callback = await consentInSandbox(created.body.authorizeUrl, AU_REALM);
    // Eleven minutes later (the state lives ten).
    await proof.testDb.database.prisma.connection.update({ where: { id: created.body.connectionId }, data: { oauthStateExpiresAt: new Date(Date.now() - 60_000) } });
    const others = await proof.testDb.database.prisma.connection.findMany({ where: { id: { not: created.body.connectionId } }, orderBy: { id: 'asc' } });
    const answer = await admin.get(callback);
    expect(new URL(answer.headers.get('location') ?? '').searchParams.get('error')).toMatch(/took longer than 10 minutes/);
    const stale = await connection(created.body.connectionId);
    expect(stale.status).not.toBe('connected');
    expect(stale.credentials).toBeNull();
    expect(stale.tenantId).toBeNull();
    expect(await proof.testDb.database.prisma.connection.findMany({ where: { id: { not: created.body.connectionId } }, orderBy: { id: 'asc' } })).toEqual(others);
  });
});

describe('password guessing', () => {
  it('answers a wrong password and an unknown e-mail alike, then throttles the e-mail with Retry-After; no session is made', async () => {
    const guesser = new TestClient(proof.baseUrl);
    const sessionsBefore = await proof.testDb.database.prisma.session.count();
    const wrong = await guesser.post<ApiError>('/api/v1/auth/login', { email: VIEWER.email, password: 'guess-1' });
    const unknown = await guesser.post<ApiError>('/api/v1/auth/login', { email: 'nobody@ledgerlink.local', password: 'guess-1' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    // Nothing tells an attacker which e-mails have accounts.
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    for (let i = 2; i <= 5; i += 1) expect((await guesser.post('/api/v1/auth/login', { email: VIEWER.email, password: `guess-${i}` })).status).toBe(401);
    // The sixth try is refused even with the right password: guessing cannot go on.
    const blocked = await guesser.post<ApiError>('/api/v1/auth/login', VIEWER);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.error.message).toMatch(/Too many failed sign-ins.*wait/);
    expect(blocked.headers.getSetCookie().some((c) => c.startsWith('ll_session=') && !c.startsWith('ll_session=;'))).toBe(false);
    expect(await proof.testDb.database.prisma.session.count()).toBe(sessionsBefore);
    // The viewer already signed in is not thrown out.
    expect((await viewer.get('/api/v1/auth/me')).status).toBe(200);
  });
});

describe('secrets an attacker with the database or the logs would look for', () => {
  it('stores no access or refresh token the provider issued in clear text, before and after a refresh', async () => {
    const issuedAtConnect = recorder.tokens.size;
    expect(issuedAtConnect).toBeGreaterThanOrEqual(2);
    // An hour later the access token has expired: the next call refreshes and rotates.
    const clock = await fetch(`${proof.sandbox.url}/_control/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 3660 }) });
    expect(clock.status).toBe(200);
    const pull = await admin.post<{ pullId: string }>(`/api/v1/connections/${world.connectionId}/pull`);
    expect(pull.status).toBe(202);
    await waitForQuietDatabase(proof.testDb.url);
    const pulled = await admin.get<{ state: string }>(`/api/v1/connections/${world.connectionId}/pulls/${pull.body.pullId}`);
    expect(pulled.body.state).toBe('completed');
    expect(recorder.tokens.size).toBeGreaterThan(issuedAtConnect);

    const dump = await dumpDatabase(proof.testDb.url);
    expect(dump).toContain(world.connectionId);
    for (const token of recorder.tokens) {
      expect(token.length).toBeGreaterThan(20);
      expect(dump.includes(token), `a token issued by the provider is stored in clear text: ${token.slice(0, 12)}…`).toBe(false);
      expect(dump.includes(Buffer.from(token).toString('base64')), 'a token is stored base64-encoded').toBe(false);
    }
    // Nor the other secrets: passwords, the API key, the session cookie.
    for (const secret of [ADMIN.password, VIEWER.password, OTHER.password, world.apiKey, admin.sessionCookie?.split('=')[1] ?? 'no-session']) {
      expect(dump.includes(secret), `a secret is stored in clear text: ${secret.slice(0, 6)}…`).toBe(false);
    }
  });

  it('never writes a token, password, API key, session or client secret to the logs', () => {
    const logs = proof.logLines.join('\n');
    expect(proof.logLines.length).toBeGreaterThan(20);
    expect(logs).toContain('connection connected');
    const secrets = [
      ...recorder.tokens,
      ADMIN.password,
      VIEWER.password,
      OTHER.password,
      world.apiKey,
      decodeURIComponent(admin.sessionCookie?.split('=')[1] ?? 'no-session'),
      decodeURIComponent(admin.csrfToken ?? 'no-csrf'),
      sandboxConnectorEnv('http://x').LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_SECRET ?? 'no-secret',
    ];
    for (const secret of secrets) expect(logs.includes(secret), `the logs contain a secret: ${secret.slice(0, 6)}…`).toBe(false);
  });
});
