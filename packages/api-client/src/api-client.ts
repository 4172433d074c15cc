import {
  routes,
  type Connection,
  type ConnectorInfo,
  type ContactList,
  type ContactListQuery,
  type ContactView,
  type CreateConnectionRequest,
  type CreateConnectionResponse,
  type Health,
  type LoginRequest,
  type Routes,
  type SessionInfo,
  type UploadRequest,
  type UploadStatus,
  type UpsertContactRequest,
  type ApiKeyView,
  type CandidateList,
  type CandidateQuery,
  type ContactDetail,
  type CreateApiKeyRequest,
  type CreatedApiKey,
  type CreateLinkRequest,
  type PullStatus,
  type UnlinkQuery,
  type MatchingRunStatus,
  type SuggestionDecisionsRequest,
  type SuggestionDecisionsResponse,
  type SuggestionList,
  type SuggestionListQuery,
} from '@ledgerlink/contract';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http-client.js';

export type ApiClientOptions = HttpClientOptions;

/** The Ledgerlink API: `call(routeName, input)` for every route, plus one convenience method per route. */
export interface ApiClient extends HttpClient<Routes> {
  health(options?: CallOptions): Promise<Health>;
  login(body: LoginRequest, options?: CallOptions): Promise<SessionInfo>;
  logout(options?: CallOptions): Promise<{ ok: true }>;
  me(options?: CallOptions): Promise<SessionInfo>;
  listConnectors(options?: CallOptions): Promise<ConnectorInfo[]>;
  createConnection(body: CreateConnectionRequest, options?: CallOptions): Promise<CreateConnectionResponse>;
  listConnections(options?: CallOptions): Promise<Connection[]>;
  listContacts(query?: ContactListQuery, options?: CallOptions): Promise<ContactList>;
  upsertContact(externalId: string, body: UpsertContactRequest, options?: CallOptions): Promise<ContactView>;
  createUpload(connectionId: string, body: UploadRequest, options?: CallOptions): Promise<UploadStatus>;
  getUpload(connectionId: string, uploadId: string, options?: CallOptions): Promise<UploadStatus>;
  createApiKey(body: CreateApiKeyRequest, options?: CallOptions): Promise<CreatedApiKey>;
  listApiKeys(options?: CallOptions): Promise<ApiKeyView[]>;
  revokeApiKey(id: string, options?: CallOptions): Promise<ApiKeyView>;
  getContact(id: string, options?: CallOptions): Promise<ContactDetail>;
  linkCandidates(connectionId: string, contactId: string, query?: CandidateQuery, options?: CallOptions): Promise<CandidateList>;
  createLink(connectionId: string, body: CreateLinkRequest, options?: CallOptions): Promise<ContactDetail>;
  deleteLink(connectionId: string, contactId: string, query?: UnlinkQuery, options?: CallOptions): Promise<ContactDetail>;
  startPull(connectionId: string, options?: CallOptions): Promise<PullStatus>;
  getPull(connectionId: string, pullId: string, options?: CallOptions): Promise<PullStatus>;
  startMatching(connectionId: string, options?: CallOptions): Promise<MatchingRunStatus>;
  getMatchingRun(connectionId: string, runId: string, options?: CallOptions): Promise<MatchingRunStatus>;
  listSuggestions(connectionId: string, query?: SuggestionListQuery, options?: CallOptions): Promise<SuggestionList>;
  decideSuggestions(connectionId: string, body: SuggestionDecisionsRequest, options?: CallOptions): Promise<SuggestionDecisionsResponse>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * Creates a client for the Ledgerlink API. Cookies are sent (`credentials: 'include'`), so the
 * console's session works (with its CSRF token, see `csrfToken`); host apps pass
 * `headers: { authorization: 'Bearer <api key>' }`.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const http = createHttpClient(routes, options);
  const { call } = http;
  const opts = (options?: CallOptions): CallOptions => (options?.signal ? { signal: options.signal } : {});
  return {
    ...http,
    health: (o) => call('health', opts(o)),
    login: (body, o) => call('login', { body, ...opts(o) }),
    logout: (o) => call('logout', opts(o)),
    me: (o) => call('me', opts(o)),
    listConnectors: (o) => call('listConnectors', opts(o)),
    createConnection: (body, o) => call('createConnection', { body, ...opts(o) }),
    listConnections: (o) => call('listConnections', opts(o)),
    listContacts: (query, o) => call('listContacts', { ...(query ? { query } : {}), ...opts(o) }),
    upsertContact: (externalId, body, o) => call('upsertContact', { params: { externalId }, body, ...opts(o) }),
    createUpload: (connectionId, body, o) => call('createUpload', { params: { id: connectionId }, body, ...opts(o) }),
    getUpload: (connectionId, uploadId, o) => call('getUpload', { params: { id: connectionId, uploadId }, ...opts(o) }),
    createApiKey: (body, o) => call('createApiKey', { body, ...opts(o) }),
    listApiKeys: (o) => call('listApiKeys', opts(o)),
    revokeApiKey: (id, o) => call('revokeApiKey', { params: { id }, ...opts(o) }),
    getContact: (id, o) => call('getContact', { params: { id }, ...opts(o) }),
    linkCandidates: (connectionId, contactId, query, o) => call('linkCandidates', { params: { id: connectionId, contactId }, ...(query ? { query } : {}), ...opts(o) }),
    createLink: (connectionId, body, o) => call('createLink', { params: { id: connectionId }, body, ...opts(o) }),
    deleteLink: (connectionId, contactId, query, o) => call('deleteLink', { params: { id: connectionId, contactId }, ...(query ? { query } : {}), ...opts(o) }),
    startPull: (connectionId, o) => call('startPull', { params: { id: connectionId }, ...opts(o) }),
    getPull: (connectionId, pullId, o) => call('getPull', { params: { id: connectionId, pullId }, ...opts(o) }),
    startMatching: (connectionId, o) => call('startMatching', { params: { id: connectionId }, ...opts(o) }),
    getMatchingRun: (connectionId, runId, o) => call('getMatchingRun', { params: { id: connectionId, runId }, ...opts(o) }),
    listSuggestions: (connectionId, query, o) => call('listSuggestions', { params: { id: connectionId }, ...(query ? { query } : {}), ...opts(o) }),
    decideSuggestions: (connectionId, body, o) => call('decideSuggestions', { params: { id: connectionId }, body, ...opts(o) }),
  };
}
