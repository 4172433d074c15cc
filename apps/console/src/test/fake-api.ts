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
  ActivityEntry,
  MappingDetail,
  MatchingRunStatus,
  RemoteTransactionView,
  SyncRunDetail,
  TransactionSyncView,
  TransactionView,
  MatchSuggestionView,
  SuggestionDecisionResult,
  PullStatus,
  RemoteStatus,
  SessionInfo,
  UploadStatus,
} from '@ledgerlink/contract';
import { ConnectionSettings, DEFAULT_CONNECTION_SETTINGS } from '@ledgerlink/contract';

export interface FakeUpload {
  status: UploadStatus;
  contactIds: string[];
}

export interface FakeApiState {
  session: SessionInfo | null;
  /** connectionId → saved settings (defaults until saved). */
  settings: Record<string, ConnectionSettings>;
  /** The signed-in person's memberships (the workspace switcher). */
  workspaces: Array<{ id: string; name: string; role: SessionInfo['user']['role'] }>;
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
  /** Pending match suggestions (every connection). */
  suggestions: MatchSuggestionView[];
  matchingRuns: MatchingRunStatus[];
  /** What the next matching run finds: its counts, and the suggestions it adds when it completes. */
  nextMatching: { autoLinked: number; unmatched: number; suggestions: MatchSuggestionView[]; error?: string };
  /** suggestionId → message: deciding on these is refused (e.g. the record got linked meanwhile). */
  decisionFailures: Map<string, string>;
  transactions: TransactionView[];
  /** Newest first. */
  syncRuns: SyncRunDetail[];
  /** transactionId → how the next sync (or retry) run ends for it; the others sync. */
  nextSync: Map<string, Pick<TransactionSyncView, 'state' | 'reason' | 'fixAction'>>;
  /** contactId → its accounting transactions read back from the connections. */
  remoteTransactions: Map<string, RemoteTransactionView[]>;
  /** connectionId → when its remote transactions were last read. */
  remoteReadAt: Map<string, string>;
  /** `${connectionId}/${entity}` → the mapping in force. */
  mappings: Map<string, MappingDetail>;
  /** The audit log, newest first. */
  activity: ActivityEntry[];
}

export interface FakeRemote {
  remoteId: string;
  name: string;
  email: string | null;
  status: RemoteStatus;
  /** What the provider holds besides the name (the contact page's summary). */
  paymentTerms?: string;
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
      remote: (() => {
        const mirrored = state.remotes.find((r) => r.remoteId === link?.remoteId);
        return mirrored ? { paymentTerms: mirrored.paymentTerms ?? null, currency: null, email: mirrored.email, phone: null, status: mirrored.status } : null;
      })(),
      events,
    };
  });
}

function detailOf(state: FakeApiState, row: ContactView): ContactDetail {
  const { links: _links, ...fields } = row;
  return { ...fields, givenName: null, familyName: null, notes: null, createdAt: row.updatedAt, links: linkDetails(state, row) };
}

export function createFakeApi(initial: Partial<FakeApiState> = {}): { api: ApiClient; state: FakeApiState; advanceUploads: () => void; finishSyncRuns: () => void } {
  const state: FakeApiState = {
    session: demoSession,
    settings: {},
    workspaces: [{ id: 'w1', name: 'Demo Workspace', role: 'owner' }],
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
    suggestions: [],
    matchingRuns: [],
    nextMatching: { autoLinked: 0, unmatched: 0, suggestions: [] },
    decisionFailures: new Map(),
    transactions: [],
    syncRuns: [],
    nextSync: new Map(),
    remoteTransactions: new Map(),
    remoteReadAt: new Map(),
    mappings: new Map(),
    activity: [],
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
    const settingsPath = /^\/api\/v1\/connections\/([^/]+)\/settings$/.exec(path);
    if (settingsPath) {
      const id = decodeURIComponent(settingsPath[1] ?? '');
      if (!state.connections.some((c) => c.id === id)) return refuse(404, 'not_found', `Connection ${id} not found.`);
      if (method === 'GET') return json(200, { connectionId: id, settings: state.settings[id] ?? DEFAULT_CONNECTION_SETTINGS });
      if (state.session?.user.role === 'viewer') return refuse(403, 'forbidden', 'Viewers cannot change settings.');
      const parsed = ConnectionSettings.safeParse(body);
      if (!parsed.success) {
        return json(400, { error: { code: 'invalid_request', message: 'The settings need fixing.', fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
      }
      state.settings[id] = parsed.data;
      return json(200, { connectionId: id, settings: parsed.data });
    }
    const lifecycle = /^\/api\/v1\/connections\/([^/]+)\/(enabled|disconnect)$/.exec(path);
    if (lifecycle) {
      const row = state.connections.find((c) => c.id === decodeURIComponent(lifecycle[1] ?? ''));
      if (!row) return refuse(404, 'not_found', 'No such connection.');
      if (lifecycle[2] === 'enabled' && method === 'PUT') row.enabled = (body as { enabled: boolean }).enabled;
      else if (lifecycle[2] === 'disconnect' && method === 'POST') Object.assign(row, { status: 'disconnected', statusReason: 'Disconnected by Avery Admin: reconnect to sync again.' });
      else return refuse(405, 'method_not_allowed', 'No.');
      return json(200, row);
    }
    if (method === 'GET' && path === '/api/v1/auth/workspaces') {
      return json(200, state.workspaces.map((w) => ({ id: w.id, name: w.name, role: w.role, current: w.id === state.session?.workspace.id })));
    }
    if (method === 'POST' && path === '/api/v1/auth/workspace') {
      const chosen = state.workspaces.find((w) => w.id === (body as { workspaceId?: string }).workspaceId);
      if (!chosen || !state.session) return refuse(404, 'not_found', 'No such workspace.');
      state.session = { ...state.session, user: { ...state.session.user, role: chosen.role }, workspace: { id: chosen.id, name: chosen.name } };
      return json(200, state.session);
    }
    if (method === 'POST' && path === '/api/v1/auth/logout') {
      state.session = null;
      return json(200, { ok: true });
    }
    if (method === 'GET' && path === '/api/v1/connectors') return json(200, state.connectors);
    if (method === 'GET' && path === '/api/v1/connections') return json(200, state.connections);
    if (method === 'POST' && path === '/api/v1/connections') {
      const { connectorId, connectionId } = body as { connectorId: string; connectionId?: string };
      const existing = state.connections.find((c) => c.id === connectionId);
      if (connectionId !== undefined && !existing) return refuse(404, 'not_found', `Connection ${connectionId} not found.`);
      if (existing) return json(201, { connectionId: existing.id, authorizeUrl: `http://sandbox.test/oauth/authorize?state=${existing.id}` });
      const created = connection({ id: `conn-${state.connections.length + 1}`, connectorId, status: 'pending', tenantId: null, tenantName: null });
      state.connections.push(created);
      return json(201, { connectionId: created.id, authorizeUrl: `http://sandbox.test/oauth/authorize?state=${created.id}` });
    }
    if (method === 'GET' && path === '/api/v1/contacts') {
      const kind = url.searchParams.get('kind');
      const page = Number(url.searchParams.get('page') ?? 1);
      const pageSize = Number(url.searchParams.get('pageSize') ?? 50);
      const q = url.searchParams.get('q')?.toLowerCase();
      const link = url.searchParams.get('link');
      const on = url.searchParams.get('connectionId');
      const states = (c: ContactView) => c.links.filter((l) => !on || l.connectionId === on).map((l) => l.state);
      const linkMatches = (c: ContactView) =>
        !link || (link === 'unlinked' ? states(c).every((s) => s === 'unlinked') : link === 'suggested' ? false : states(c).includes(link as ContactView['links'][number]['state']));
      const matching = state.contacts.filter((c) => (!kind || c.kind === kind) && (!q || c.displayName.toLowerCase().includes(q)) && linkMatches(c));
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
    // As the API: listing keys needs the admin role (or owner).
    if (path === '/api/v1/api-keys' && method === 'GET') {
      return canChange() ? json(200, state.apiKeys) : refuse(403, 'forbidden', 'This needs the admin role (or owner); your role is viewer, which can only look.');
    }
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
    return handleMatching(method, url, body);
  }

  function handleMatching(method: string, url: URL, body: unknown): Response | null {
    const path = url.pathname;
    const start = /^\/api\/v1\/connections\/([^/]+)\/matching\/run$/.exec(path);
    if (start && method === 'POST') {
      if (!canChange()) return forbidden();
      const status: MatchingRunStatus = {
        runId: `run-${state.matchingRuns.length + 1}`, connectionId: decodeURIComponent(start[1] ?? ''), state: 'queued',
        autoLinked: 0, suggested: 0, unmatched: 0, error: null,
      };
      state.matchingRuns.push(status);
      return json(202, status);
    }
    const runRead = /^\/api\/v1\/connections\/([^/]+)\/matching\/runs\/([^/]+)$/.exec(path);
    if (runRead && method === 'GET') {
      const status = state.matchingRuns.find((r) => r.runId === decodeURIComponent(runRead[2] ?? ''));
      if (!status) return refuse(404, 'not_found', 'No such matching run.');
      // Each progress check moves the run on by one step.
      if (status.state === 'queued') status.state = 'running';
      else if (status.state === 'running') {
        const next = state.nextMatching;
        if (next.error) Object.assign(status, { state: 'failed', error: next.error });
        else {
          const added = next.suggestions.map((s) => ({ ...s, connectionId: status.connectionId }));
          state.suggestions.push(...added);
          Object.assign(status, { state: 'completed', autoLinked: next.autoLinked, unmatched: next.unmatched, suggested: added.length });
        }
      }
      return json(200, status);
    }
    const list = /^\/api\/v1\/connections\/([^/]+)\/suggestions$/.exec(path);
    if (list && method === 'GET') {
      const connectionId = decodeURIComponent(list[1] ?? '');
      const page = Number(url.searchParams.get('page') ?? 1);
      const pageSize = Number(url.searchParams.get('pageSize') ?? 50);
      const items = state.suggestions.filter((s) => s.connectionId === connectionId);
      return json(200, { items: items.slice((page - 1) * pageSize, page * pageSize), total: items.length, page, pageSize });
    }
    const decide = /^\/api\/v1\/connections\/([^/]+)\/suggestions\/decisions$/.exec(path);
    if (decide && method === 'POST') {
      if (!canChange()) return forbidden();
      const connectionId = decodeURIComponent(decide[1] ?? '');
      const { decisions } = body as { decisions: { suggestionId: string; action: 'accept' | 'reject'; remoteId?: string }[] };
      const results: SuggestionDecisionResult[] = decisions.map((d) => {
        const suggestion = state.suggestions.find((s) => s.id === d.suggestionId && s.connectionId === connectionId);
        if (!suggestion) return { suggestionId: d.suggestionId, ok: false, state: null, remoteId: null, error: 'No such pending suggestion.' };
        const failure = state.decisionFailures.get(d.suggestionId);
        if (failure) return { suggestionId: d.suggestionId, ok: false, state: null, remoteId: null, error: failure };
        state.suggestions = state.suggestions.filter((s) => s !== suggestion);
        if (d.action === 'reject') return { suggestionId: d.suggestionId, ok: true, state: 'rejected', remoteId: null, error: null };
        const remoteId = d.remoteId ?? suggestion.candidates[0]?.remoteId ?? null;
        const row = state.contacts.find((c) => c.id === suggestion.contact.id);
        const candidate = suggestion.candidates.find((c) => c.remoteId === remoteId);
        if (row && candidate) {
          row.links = [
            ...row.links.filter((l) => l.connectionId !== connectionId),
            {
              connectionId, connectorId: 'quickbooks-online', remoteId: candidate.remoteId, remoteName: candidate.name, state: 'linked', reason: null,
              deepLink: `https://sandbox.example/app/customerdetail?nameId=${candidate.remoteId}`, linkedAt: now(),
            },
          ];
          record(row.id, connectionId, { type: 'linked', fromRemoteId: null, toRemoteId: candidate.remoteId, reason: 'Accepted a match suggestion' });
        }
        return { suggestionId: d.suggestionId, ok: true, state: 'accepted', remoteId, error: null };
      });
      return json(200, { results });
    }
    return handleTransactions(method, url, body);
  }

  function startRun(connectionId: string, ids: string[], trigger: string): SyncRunDetail {
    const run: SyncRunDetail = {
      id: `sync-${state.syncRuns.length + 1}`, connectionId, kind: 'transactions', trigger, state: 'queued', total: ids.length,
      succeeded: 0, failed: 0, blocked: 0, unchanged: 0, createdAt: now(), startedAt: null, finishedAt: null,
      batches: [{ id: `batch-${state.syncRuns.length + 1}-1`, seq: 1, state: 'queued', total: ids.length, succeeded: 0, failed: 0, startedAt: null, finishedAt: null }],
      held: [],
    };
    runIds.set(run.id, ids);
    state.syncRuns.unshift(run);
    return run;
  }
  const runIds = new Map<string, string[]>();
  const summaryOf = ({ batches: _b, held: _h, ...view }: SyncRunDetail) => view;

  /** Each progress check moves a sync run on: queued → running (half done) → completed (outcomes applied). */
  function advanceRun(run: SyncRunDetail): void {
    const batch = run.batches[0];
    if (run.state === 'queued') {
      Object.assign(run, { state: 'running', startedAt: now() });
      if (batch) Object.assign(batch, { state: 'running', succeeded: Math.floor(batch.total / 2) });
      return;
    }
    if (run.state !== 'running') return;
    let succeeded = 0, failed = 0, blocked = 0;
    for (const id of runIds.get(run.id) ?? []) {
      const tx = state.transactions.find((t) => t.id === id);
      const outcome = state.nextSync.get(id) ?? { state: 'synced' as const, reason: null, fixAction: null };
      if (outcome.state === 'synced') succeeded += 1;
      else if (outcome.state === 'blocked') blocked += 1;
      else failed += 1;
      if (!tx) continue;
      const synced = outcome.state === 'synced';
      const entry: TransactionSyncView = {
        connectionId: run.connectionId, connectorId: 'quickbooks-online', ...outcome,
        remoteId: synced ? `r-${id}` : null, deepLink: synced ? `https://sandbox.example/app/invoice?txnId=r-${id}` : null,
        attempts: 1, changedSinceSync: false, lastRunId: run.id, syncedAt: synced ? now() : null, updatedAt: now(),
      };
      tx.sync = [...tx.sync.filter((e) => e.connectionId !== run.connectionId), entry];
    }
    Object.assign(run, { state: 'completed', succeeded, failed, blocked, finishedAt: now() });
    if (batch) Object.assign(batch, { state: 'completed', succeeded, failed: failed, total: succeeded + failed });
  }

  function handleTransactions(method: string, url: URL, body: unknown): Response | null {
    const path = url.pathname;
    if (path === '/api/v1/transactions' && method === 'GET') {
      const q = url.searchParams;
      const connectionId = q.get('connectionId');
      const syncState = q.get('syncState');
      const items = state.transactions.filter((t) =>
        syncState && connectionId ? t.sync.some((e) => e.connectionId === connectionId && e.state === syncState) : q.get('ready') !== 'true' || t.ready,
      );
      const start = Number(q.get('cursor') ?? 0);
      const limit = Number(q.get('limit') ?? 50);
      const page = items.slice(start, start + limit);
      return json(200, { items: page, nextCursor: start + limit < items.length ? String(start + limit) : null });
    }
    const sync = /^\/api\/v1\/connections\/([^/]+)\/transactions\/(sync|retry)$/.exec(path);
    if (sync && method === 'POST') {
      if (!canChange()) return forbidden();
      const connectionId = decodeURIComponent(sync[1] ?? '');
      let ids: string[];
      if (sync[2] === 'sync') ids = state.transactions.filter((t) => t.ready && !t.sync.some((e) => e.connectionId === connectionId && e.state === 'synced')).map((t) => t.id);
      else {
        const request = body as { transactionIds?: string[]; all?: true };
        ids = request.all
          ? state.transactions.filter((t) => t.sync.some((e) => e.connectionId === connectionId && e.state === 'failed')).map((t) => t.id)
          : (request.transactionIds ?? []);
      }
      return json(202, summaryOf(startRun(connectionId, ids, sync[2] === 'sync' ? 'manual' : 'retry')));
    }
    const runs = /^\/api\/v1\/connections\/([^/]+)\/sync-runs(?:\/([^/]+))?$/.exec(path);
    if (runs && method === 'GET' && !runs[2]) {
      const connectionId = decodeURIComponent(runs[1] ?? '');
      const limit = Number(url.searchParams.get('limit') ?? 20);
      return json(200, { items: state.syncRuns.filter((r) => r.connectionId === connectionId).slice(0, limit).map(summaryOf), nextCursor: null });
    }
    if (runs?.[2] && method === 'GET') {
      const run = state.syncRuns.find((r) => r.id === decodeURIComponent(runs[2] ?? ''));
      if (!run) return refuse(404, 'not_found', 'No such sync run.');
      // Without autoAdvance a run stops at "running" until finishSyncRuns().
      if (state.autoAdvance || run.state === 'queued') advanceRun(run);
      return json(200, run);
    }
    const remote = /^\/api\/v1\/contacts\/([^/]+)\/remote-transactions$/.exec(path);
    if (remote && method === 'GET') {
      const contactId = decodeURIComponent(remote[1] ?? '');
      const row = state.contacts.find((c) => c.id === contactId);
      if (!row) return refuse(404, 'not_found', 'No such contact in this workspace.');
      const linked = row.links.map((l) => l.connectionId);
      // Only what has been read is there.
      const items = (state.remoteTransactions.get(contactId) ?? []).filter((i) => state.remoteReadAt.has(i.connectionId));
      return json(200, { items, readAt: linked.map((connectionId) => ({ connectionId, at: state.remoteReadAt.get(connectionId) ?? null })) });
    }
    if (path === '/api/v1/activity' && method === 'GET') {
      const q = url.searchParams;
      const from = q.get('from');
      const to = q.get('to');
      const items = state.activity.filter(
        (e) =>
          (!q.get('actorId') || e.actorId === q.get('actorId')) && (!q.get('action') || e.action === q.get('action')) &&
          (!q.get('entityType') || e.entityType === q.get('entityType')) && (!q.get('entityId') || e.entityId === q.get('entityId')) &&
          (!from || e.at >= new Date(from).toISOString()) && (!to || e.at < new Date(to).toISOString()),
      );
      const start = Number(q.get('cursor') ?? 0);
      const limit = Number(q.get('limit') ?? 50);
      return json(200, { items: items.slice(start, start + limit), nextCursor: start + limit < items.length ? String(start + limit) : null });
    }
    const mapping = /^\/api\/v1\/connections\/([^/]+)\/mappings\/([^/]+)(\/preview)?$/.exec(path);
    if (mapping) {
      const key = `${decodeURIComponent(mapping[1] ?? '')}/${mapping[2] ?? ''}`;
      const detail = state.mappings.get(key);
      if (!detail) return refuse(404, 'not_found', 'No mapping for that connection and entity.');
      if (method === 'GET' && !mapping[3]) return json(200, detail);
      if (!canChange()) return forbidden();
      const { rules } = body as { rules: MappingDetail['current']['rules'] };
      const missing = detail.catalog.filter((f) => f.required && !rules.some((r) => r.enabled && r.target === f.id));
      if (method === 'PUT' && !mapping[3]) {
        if (missing[0]) return refuse(400, 'validation', `${missing[0].label} is required by QuickBooks Online: keep a rule that maps it.`);
        const saved: MappingDetail = { ...detail, isDefault: false, current: { version: detail.current.version + 1, effectiveFrom: now(), rules, createdBy: state.session?.user.name ?? null } };
        state.mappings.set(key, saved);
        return json(200, saved);
      }
      if (method === 'POST' && mapping[3]) {
        // What each contact of the kind would send: a field per enabled rule, its value read from the contact.
        const send = (list: typeof rules, c: ContactView) =>
          new Map(list.filter((r) => r.enabled && r.direction !== 'in').map((r) => [r.target, r.source === 'email' ? c.email : r.source === 'companyName' ? c.companyName : c.displayName]));
        const records = state.contacts
          .filter((c) => c.kind === mapping[2])
          .map((c) => {
            const before = send(detail.current.rules, c);
            const after = send(rules, c);
            const fields = [...new Set([...before.keys(), ...after.keys()])];
            const changes = fields.flatMap((field) => {
              const b = before.get(field) ?? null;
              const a = after.get(field) ?? null;
              if (b === a) return [];
              return [{ field, change: b === null ? ('added' as const) : a === null ? ('removed' as const) : ('changed' as const), before: b, after: a }];
            });
            return { id: c.id, displayName: c.displayName, changes, newProblems: [] };
          });
        const mappingProblems = missing.map((f) => ({ field: f.id, code: 'required_unmapped', message: `${f.label} is required but not mapped.`, fix: 'Map a field to it.' }));
        return json(200, { records, summary: { records: records.length, changed: records.filter((r) => r.changes.length > 0).length, withNewProblems: 0 }, mappingProblems });
      }
    }
    const read = /^\/api\/v1\/connections\/([^/]+)\/remote-transactions\/read$/.exec(path);
    if (read && method === 'POST') {
      if (!canChange()) return forbidden();
      const connectionId = decodeURIComponent(read[1] ?? '');
      state.remoteReadAt.set(connectionId, now());
      return json(202, { connectionId, runId: `read-${state.remoteReadAt.size}`, state: 'queued' });
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
    finishSyncRuns: () => {
      for (const run of state.syncRuns) if (run.state === 'running') advanceRun(run);
    },
  };
}

export function suggestion(id: string, displayName: string, candidates: { remoteId: string; name: string; score: number; reasons?: string[]; email?: string | null }[], overrides: Partial<MatchSuggestionView> = {}): MatchSuggestionView {
  return {
    id,
    connectionId: 'conn-1',
    contact: { id: `c-${id}`, externalId: `ext-${id}`, kind: 'customer', displayName, companyName: `${displayName} Ltd`, email: `${id}@example.com`, phone: null },
    cause: candidates.length > 1 ? 'ambiguous' : 'uncertain',
    explanation: null,
    score: candidates[0]?.score ?? 0,
    candidates: candidates.map((c) => ({ remoteId: c.remoteId, name: c.name, email: c.email ?? null, status: 'active', score: c.score, passes: c.score >= 0.9, reasons: c.reasons ?? [] })),
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

export function transaction(id: string, contactName: string, overrides: Partial<TransactionView> = {}): TransactionView {
  return {
    id, externalId: `inv-${id}`, type: 'invoice', contactId: `c-${id}`, contactExternalId: `ext-c-${id}`, contactName,
    number: `INV-${id}`, issueDate: '2026-11-20', currency: 'USD', total: 123456, ready: true, version: 1,
    updatedAt: '2026-11-23T10:00:00.000Z', sync: [], ...overrides,
  };
}
