// An in-memory stand-in for the Ledgerlink API behind the real api-client (through its `fetch`
// option), for component tests: the console is under test here, not the API.
import { createApiClient, type ApiClient } from '@ledgerlink/api-client';
import type {
  ApiKeyView,
  Connection,
  ConnectorInfo,
  ContactDetail,
  ContactLinkDetail,
  ContactView,
  LinkEventView,
  PullStatus,
  RemoteStatus,
  SessionInfo,
  UploadStatus,
} from '@ledgerlink/contract';

export interface FakeUpload {
  status: UploadStatus;
  contactIds: string[];
}

export interface FakeApiState {
  session: SessionInfo | null;
  password: string;
  connectors: ConnectorInfo[];
  connections: Connection[];
  contacts: ContactView[];
  uploads: FakeUpload[];
  /** contactId → message: the upload of these fails. */
  uploadFailures: Map<string, string>;
  /** Every request the client made, as "METHOD /path?query". */
  requests: string[];
  /** True: each progress check moves an upload on by one step. False: only `advanceUploads()` does. */
  autoAdvance: boolean;
  /** Remote contacts of every connection, offered as link candidates. */
  remotes: FakeRemote[];
  /** Every link change, newest last. */
  linkEvents: FakeLinkEvent[];
  /** contactId → message: unlinking these is refused with a 409. */
  unlinkFailures: Map<string, string>;
  apiKeys: ApiKeyView[];
  pulls: PullStatus[];
}

export interface FakeRemote {
  remoteId: string;
  name: string;
  email: string | null;
  status: RemoteStatus;
}

export interface FakeLinkEvent extends LinkEventView {
  contactId: string;
  connectionId: string;
}

export const demoSession: SessionInfo = {
  user: { id: 'u1', email: 'admin@ledgerlink.local', name: 'Avery Admin', role: 'owner' },
  workspace: { id: 'w1', name: 'Demo Workspace' },
};

export const qboConnector: ConnectorInfo = {
  id: 'quickbooks-online',
  displayName: 'QuickBooks Online',
  description: 'Customers, suppliers, invoices and bills in QuickBooks Online.',
  category: 'accounting',
  authType: 'oauth2',
  configured: true,
  contactKinds: ['customer', 'supplier'],
};

export function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'conn-1',
    connectorId: 'quickbooks-online',
    displayName: 'QuickBooks Online',
    status: 'connected',
    tenantId: '9130',
    tenantName: 'Sandbox Company US',
    statusReason: null,
    enabled: true,
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

export function contact(id: string, displayName: string, overrides: Partial<ContactView> = {}): ContactView {
  return {
    id,
    externalId: `ext-${id}`,
    kind: 'customer',
    displayName,
    companyName: `${displayName} Ltd`,
    email: `${id}@example.com`,
    phone: null,
    version: 1,
    updatedAt: '2026-11-23T10:00:00.000Z',
    links: [],
    ...overrides,
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
function refuse(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } });
}

/** Each progress check moves a running upload on by one contact. */
function advance(upload: FakeUpload, state: FakeApiState): void {
  const { status } = upload;
  if (status.state === 'queued') {
    status.state = 'running';
    return;
  }
  if (status.state !== 'running') return;
  const next = upload.contactIds[status.results.length];
  if (next !== undefined) {
    const failure = state.uploadFailures.get(next);
    if (failure) {
      status.results = [...status.results, { contactId: next, ok: false, error: { kind: 'validation', message: failure } }];
    } else {
      const remoteId = String(100 + status.results.length);
      status.results = [...status.results, { contactId: next, ok: true, remoteId, created: true }];
      const row = state.contacts.find((c) => c.id === next);
      if (row) {
        row.links = [
          ...row.links.filter((l) => l.connectionId !== status.connectionId),
          {
            connectionId: status.connectionId,
            connectorId: 'quickbooks-online',
            remoteId,
            remoteName: row.displayName,
            state: 'linked',
            reason: null,
            deepLink: `https://sandbox.example/app/customerdetail?nameId=${remoteId}`,
            linkedAt: '2026-11-23T10:05:00.000Z',
          },
        ];
      }
    }
  }
  if (status.results.length === upload.contactIds.length) status.state = 'completed';
}

export function apiKey(id: string, name: string, overrides: Partial<ApiKeyView> = {}): ApiKeyView {
  return {
    id, name, role: 'admin', prefix: `llk_${id}`, createdBy: 'Avery Admin', createdAt: '2026-11-23T09:00:00.000Z',
    lastUsedAt: null, revokedAt: null, ...overrides,
  };
}

function linkDetails(state: FakeApiState, row: ContactView): ContactLinkDetail[] {
  const connectionIds = new Set([...row.links.map((l) => l.connectionId), ...state.linkEvents.filter((e) => e.contactId === row.id).map((e) => e.connectionId)]);
  return [...connectionIds].map((connectionId) => {
    const link = row.links.find((l) => l.connectionId === connectionId);
    const events = state.linkEvents
      .filter((e) => e.contactId === row.id && e.connectionId === connectionId)
      .map(({ contactId: _c, connectionId: _k, ...event }) => event);
    const last = events[events.length - 1];
    return {
      connectionId,
      connectorId: link?.connectorId ?? 'quickbooks-online',
      remoteId: link?.remoteId ?? null,
      remoteName: link?.remoteName ?? null,
      state: link?.state ?? 'unlinked',
      reason: link ? link.reason : (last?.reason ?? null),
      linkedBy: last?.actorName ?? 'system',
      deepLink: link?.deepLink ?? null,
      updatedAt: last?.createdAt ?? link?.linkedAt ?? row.updatedAt,
      events,
    };
  });
}

function detailOf(state: FakeApiState, row: ContactView): ContactDetail {
  const { links: _links, ...fields } = row;
  return { ...fields, givenName: null, familyName: null, notes: null, createdAt: row.updatedAt, links: linkDetails(state, row) };
}

export function createFakeApi(initial: Partial<FakeApiState> = {}): { api: ApiClient; state: FakeApiState; advanceUploads: () => void } {
  const state: FakeApiState = {
    session: demoSession,
    password: 'correct horse',
    connectors: [qboConnector],
    connections: [],
    contacts: [],
    uploads: [],
    uploadFailures: new Map(),
    requests: [],
    autoAdvance: true,
    remotes: [],
    linkEvents: [],
    unlinkFailures: new Map(),
    apiKeys: [],
    pulls: [],
    ...initial,
  };

  async function handle(method: string, url: URL, body: unknown): Promise<Response> {
    const path = url.pathname;
    if (method === 'POST' && path === '/api/v1/auth/login') {
      const { email, password } = body as { email: string; password: string };
      if (email !== demoSession.user.email || password !== state.password) {
        return refuse(401, 'invalid_credentials', 'That email and password do not match an account.');
      }
      state.session = demoSession;
      return json(200, demoSession);
    }
    if (!state.session) return refuse(401, 'unauthenticated', 'Sign in to continue.');
    if (method === 'GET' && path === '/api/v1/auth/me') return json(200, state.session);
    if (method === 'POST' && path === '/api/v1/auth/logout') {
      state.session = null;
      return json(200, { ok: true });
    }
    if (method === 'GET' && path === '/api/v1/connectors') return json(200, state.connectors);
    if (method === 'GET' && path === '/api/v1/connections') return json(200, state.connections);
    if (method === 'POST' && path === '/api/v1/connections') {
      const { connectorId } = body as { connectorId: string };
      const created = connection({ id: `conn-${state.connections.length + 1}`, connectorId, status: 'pending', tenantId: null, tenantName: null });
      state.connections.push(created);
      return json(201, { connectionId: created.id, authorizeUrl: `http://sandbox.test/oauth/authorize?state=${created.id}` });
    }
    if (method === 'GET' && path === '/api/v1/contacts') {
      const kind = url.searchParams.get('kind');
      const page = Number(url.searchParams.get('page') ?? 1);
      const pageSize = Number(url.searchParams.get('pageSize') ?? 50);
      const q = url.searchParams.get('q')?.toLowerCase();
      const matching = state.contacts.filter((c) => (!kind || c.kind === kind) && (!q || c.displayName.toLowerCase().includes(q)));
      return json(200, { items: matching.slice((page - 1) * pageSize, page * pageSize), total: matching.length, page, pageSize });
    }
    const uploads = /^\/api\/v1\/connections\/([^/]+)\/uploads(?:\/([^/]+))?$/.exec(path);
    if (uploads && method === 'POST') {
      const contactIds = (body as { contactIds: string[] }).contactIds;
      const upload: FakeUpload = {
        contactIds,
        status: { uploadId: `up-${state.uploads.length + 1}`, connectionId: decodeURIComponent(uploads[1] ?? ''), state: 'queued', total: contactIds.length, results: [] },
      };
      state.uploads.push(upload);
      return json(202, upload.status);
    }
    if (uploads && method === 'GET') {
      const upload = state.uploads.find((u) => u.status.uploadId === uploads[2]);
      if (!upload) return refuse(404, 'not_found', 'No such upload.');
      if (state.autoAdvance) advance(upload, state);
      return json(200, upload.status);
    }
    return handleLinking(method, url, body) ?? refuse(404, 'not_found', `No route for ${method} ${path}`);
  }

  let clock = 0;
  const now = (): string => new Date(Date.UTC(2026, 10, 23, 11, 0, clock++)).toISOString();
  const canChange = (): boolean => state.session?.user.role !== 'viewer';
  const forbidden = (): Response => refuse(403, 'forbidden', 'Viewers can look but not change anything; ask an owner or admin.');

  function record(contactId: string, connectionId: string, event: Omit<LinkEventView, 'id' | 'createdAt' | 'actorType' | 'actorId' | 'actorName'>): void {
    const user = state.session?.user;
    state.linkEvents.push({
      id: `ev-${state.linkEvents.length + 1}`, contactId, connectionId, createdAt: now(),
      actorType: 'user', actorId: user?.id ?? null, actorName: user?.name ?? null, ...event,
    });
  }

  function handleLinking(method: string, url: URL, body: unknown): Response | null {
    const path = url.pathname;
    const detail = /^\/api\/v1\/contacts\/([^/]+)$/.exec(path);
    if (detail && method === 'GET') {
      const row = state.contacts.find((c) => c.id === decodeURIComponent(detail[1] ?? ''));
      return row ? json(200, detailOf(state, row)) : refuse(404, 'not_found', 'No such contact in this workspace.');
    }
    const candidates = /^\/api\/v1\/connections\/([^/]+)\/contacts\/([^/]+)\/candidates$/.exec(path);
    if (candidates && method === 'GET') {
      const connectionId = decodeURIComponent(candidates[1] ?? '');
      const q = url.searchParams.get('q')?.toLowerCase() ?? '';
      const items = state.remotes
        .filter((r) => r.name.toLowerCase().includes(q))
        .map((r) => {
          const owner = state.contacts.find((c) => c.links.some((l) => l.connectionId === connectionId && l.remoteId === r.remoteId && l.state === 'linked'));
          return { ...r, linkedTo: owner ? { contactId: owner.id, displayName: owner.displayName } : null };
        });
      return json(200, { source: 'mirror', items });
    }
    const links = /^\/api\/v1\/connections\/([^/]+)\/links(?:\/([^/]+))?$/.exec(path);
    if (links && method === 'POST') {
      if (!canChange()) return forbidden();
      const connectionId = decodeURIComponent(links[1] ?? '');
      const { contactId, remoteId } = body as { contactId: string; remoteId: string };
      const row = state.contacts.find((c) => c.id === contactId);
      const remote = state.remotes.find((r) => r.remoteId === remoteId);
      if (!row || !remote) return refuse(404, 'not_found', 'No such contact or remote record.');
      const owner = state.contacts.find((c) => c.id !== contactId && c.links.some((l) => l.connectionId === connectionId && l.remoteId === remoteId && l.state === 'linked'));
      if (owner) return refuse(409, 'already_linked', `${remote.name} is already linked to ${owner.displayName}; unlink that one first.`);
      if (remote.status !== 'active') return refuse(409, 'remote_inactive', `${remote.name} is ${remote.status} in QuickBooks Online; it cannot be linked.`);
      const previous = row.links.find((l) => l.connectionId === connectionId);
      row.links = [
        ...row.links.filter((l) => l.connectionId !== connectionId),
        {
          connectionId, connectorId: 'quickbooks-online', remoteId, remoteName: remote.name, state: 'linked', reason: null,
          deepLink: `https://sandbox.example/app/customerdetail?nameId=${remoteId}`, linkedAt: now(),
        },
      ];
      record(contactId, connectionId, { type: previous ? 'relinked' : 'linked', fromRemoteId: previous?.remoteId ?? null, toRemoteId: remoteId, reason: null });
      return json(200, detailOf(state, row));
    }
    if (links && method === 'DELETE') {
      if (!canChange()) return forbidden();
      const connectionId = decodeURIComponent(links[1] ?? '');
      const contactId = decodeURIComponent(links[2] ?? '');
      const row = state.contacts.find((c) => c.id === contactId);
      if (!row) return refuse(404, 'not_found', 'No such contact in this workspace.');
      const failure = state.unlinkFailures.get(contactId);
      if (failure) return refuse(409, 'conflict', failure);
      const link = row.links.find((l) => l.connectionId === connectionId);
      if (!link) return refuse(409, 'not_linked', `${row.displayName} is not linked on this connection.`);
      row.links = row.links.filter((l) => l !== link);
      record(contactId, connectionId, { type: 'unlinked', fromRemoteId: link.remoteId, toRemoteId: null, reason: url.searchParams.get('reason') });
      return json(200, detailOf(state, row));
    }
    if (path === '/api/v1/api-keys' && method === 'GET') return json(200, state.apiKeys);
    if (path === '/api/v1/api-keys' && method === 'POST') {
      if (!canChange()) return forbidden();
      const { name, role } = body as { name?: string; role?: 'admin' | 'viewer' };
      if (!name?.trim()) {
        return json(400, { error: { code: 'validation', message: 'name must not be empty: name the app that will use the key', fields: { name: 'must not be empty' } } });
      }
      const id = `key-${state.apiKeys.length + 1}`;
      const created = apiKey(id, name.trim(), { role: role ?? 'admin', createdAt: now() });
      state.apiKeys.push(created);
      return json(201, { ...created, key: `llk_${id}_s3cr3t-${state.apiKeys.length}` });
    }
    const revoke = /^\/api\/v1\/api-keys\/([^/]+)$/.exec(path);
    if (revoke && method === 'DELETE') {
      if (!canChange()) return forbidden();
      const key = state.apiKeys.find((k) => k.id === decodeURIComponent(revoke[1] ?? ''));
      if (!key) return refuse(404, 'not_found', 'No such API key.');
      key.revokedAt = now();
      return json(200, key);
    }
    const pull = /^\/api\/v1\/connections\/([^/]+)\/(?:pull|pulls\/([^/]+))$/.exec(path);
    if (pull && method === 'POST' && path.endsWith('/pull')) {
      if (!canChange()) return forbidden();
      const status: PullStatus = { pullId: `pull-${state.pulls.length + 1}`, connectionId: decodeURIComponent(pull[1] ?? ''), state: 'queued', fetched: 0, linksChanged: 0, error: null };
      state.pulls.push(status);
      return json(202, status);
    }
    if (pull?.[2] && method === 'GET') {
      const status = state.pulls.find((p) => p.pullId === pull[2]);
      if (!status) return refuse(404, 'not_found', 'No such pull.');
      // Each progress check moves the pull on by one step.
      if (status.state === 'queued') status.state = 'running';
      else if (status.state === 'running') Object.assign(status, { state: 'completed', fetched: state.remotes.length, linksChanged: 1 });
      return json(200, status);
    }
    return null;
  }

  const fakeFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://console.test');
    const method = init?.method ?? 'GET';
    state.requests.push(`${method} ${url.pathname}${url.search}`);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    return handle(method, url, body);
  };

  return {
    api: createApiClient({ fetch: fakeFetch }),
    state,
    advanceUploads: () => {
      for (const upload of state.uploads) advance(upload, state);
    },
  };
}
