// An in-memory stand-in for the Ledgerlink API behind the real api-client (through its `fetch`
// option), for component tests: the console is under test here, not the API.
import { createApiClient, type ApiClient } from '@ledgerlink/api-client';
import type { Connection, ConnectorInfo, ContactView, SessionInfo, UploadStatus } from '@ledgerlink/contract';

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
    return refuse(404, 'not_found', `No route for ${method} ${path}`);
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
