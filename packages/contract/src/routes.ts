import { z } from 'zod';
import type { RouteDef } from './route-def.js';
import { transactionRoutes } from './transactions-routes.js';
import { hubRoutes } from './hub-routes.js';
import { connectionRoutes } from './connection-routes.js';
import { opsRoutes } from './ops-routes.js';
import { sessionRoutes } from './session-routes.js';
import { Health, Liveness } from './health.js';
import { LoginRequest, SessionInfo } from './auth.js';
import { Connection, ConnectorInfo, CreateConnectionRequest, CreateConnectionResponse } from './connectors.js';
import { ContactList, ContactListQuery, ContactView, UploadRequest, UploadStatus, UpsertContactRequest } from './contacts.js';
import { ApiKeyView, CreateApiKeyRequest, CreatedApiKey } from './api-keys.js';
import { CandidateList, CandidateQuery, ContactDetail, CreateLinkRequest, PullStatus, UnlinkQuery } from './links.js';
import { MatchingRunStatus, SuggestionDecisionsRequest, SuggestionDecisionsResponse, SuggestionList, SuggestionListQuery } from './matching.js';

export type { RouteDef } from './route-def.js';

const ConnectionParams = z.object({ id: z.string() });

/**
 * The public HTTP API, one entry per route. The API validates with these schemas, serves them as
 * OpenAPI at /api/docs, and the api-client is typed from them: one source of truth.
 */
export const routes = {
  health: { method: 'GET', path: '/api/v1/health', summary: 'Readiness: database, Redis and queue depth (503 when a dependency does not answer).', auth: 'none', response: Health },
  liveness: { method: 'GET', path: '/api/v1/health/live', summary: 'Liveness: the process answers (checks no dependency).', auth: 'none', response: Liveness },
  login: { method: 'POST', path: '/api/v1/auth/login', summary: 'Start a console session (sets an HTTP-only cookie).', auth: 'none', body: LoginRequest, response: SessionInfo },
  logout: { method: 'POST', path: '/api/v1/auth/logout', summary: 'End the console session.', auth: 'session', response: z.object({ ok: z.literal(true) }) },
  me: { method: 'GET', path: '/api/v1/auth/me', summary: 'The signed-in user and workspace.', auth: 'session', response: SessionInfo },
  listConnectors: { method: 'GET', path: '/api/v1/connectors', summary: 'Installed connectors from the registry.', auth: 'session', response: z.array(ConnectorInfo) },
  createConnection: {
    method: 'POST', path: '/api/v1/connections', summary: "Begin connecting: returns the provider's consent URL.", auth: 'session',
    body: CreateConnectionRequest, response: CreateConnectionResponse, status: 201,
  },
  listConnections: { method: 'GET', path: '/api/v1/connections', summary: "The workspace's connections.", auth: 'session', response: z.array(Connection) },
  listContacts: { method: 'GET', path: '/api/v1/contacts', summary: 'Local contacts with their links, filtered and paged.', auth: 'session', query: ContactListQuery, response: ContactList },
  upsertContact: {
    method: 'PUT', path: '/api/v1/contacts/:externalId', summary: "Create or update a contact by the host app's id.", auth: 'session',
    params: z.object({ externalId: z.string().min(1).max(200) }), body: UpsertContactRequest, response: ContactView,
  },
  createUpload: {
    method: 'POST', path: '/api/v1/connections/:id/uploads', summary: 'Upload contacts to the connection and link them (background job).', auth: 'session',
    params: ConnectionParams, body: UploadRequest, response: UploadStatus, status: 202,
  },
  getUpload: {
    method: 'GET', path: '/api/v1/connections/:id/uploads/:uploadId', summary: "An upload job's progress and per-contact results.", auth: 'session',
    params: z.object({ id: z.string(), uploadId: z.string() }), response: UploadStatus,
  },
  createApiKey: {
    method: 'POST', path: '/api/v1/api-keys', summary: 'Create an API key for a host app (owner/admin); the secret is in this response only.', auth: 'session',
    body: CreateApiKeyRequest, response: CreatedApiKey, status: 201,
  },
  listApiKeys: { method: 'GET', path: '/api/v1/api-keys', summary: "The workspace's API keys (prefixes only, never secrets).", auth: 'session', response: z.array(ApiKeyView) },
  revokeApiKey: {
    method: 'DELETE', path: '/api/v1/api-keys/:id', summary: 'Revoke an API key: it is refused from then on.', auth: 'session',
    params: z.object({ id: z.string() }), response: ApiKeyView,
  },
  getContact: {
    method: 'GET', path: '/api/v1/contacts/:id', summary: "A contact's fields and each link with its history (who, when, why).", auth: 'session',
    params: z.object({ id: z.string() }), response: ContactDetail,
  },
  linkCandidates: {
    method: 'GET', path: '/api/v1/connections/:id/contacts/:contactId/candidates', summary: 'Remote contacts this contact could be linked to (the mirror first, else the provider).',
    auth: 'session', params: z.object({ id: z.string(), contactId: z.string() }), query: CandidateQuery, response: CandidateList,
  },
  createLink: {
    method: 'POST', path: '/api/v1/connections/:id/links', summary: 'Link a contact to an existing remote contact.', auth: 'session',
    params: ConnectionParams, body: CreateLinkRequest, response: ContactDetail,
  },
  deleteLink: {
    method: 'DELETE', path: '/api/v1/connections/:id/links/:contactId', summary: "Unlink a contact (optional reason, kept in the link's history).", auth: 'session',
    params: z.object({ id: z.string(), contactId: z.string() }), query: UnlinkQuery, response: ContactDetail,
  },
  startPull: {
    method: 'POST', path: '/api/v1/connections/:id/pull', summary: "Refresh the local mirror of the connection's remote contacts (background job).", auth: 'session',
    params: ConnectionParams, response: PullStatus, status: 202,
  },
  getPull: {
    method: 'GET', path: '/api/v1/connections/:id/pulls/:pullId', summary: "A mirror pull's progress.", auth: 'session',
    params: z.object({ id: z.string(), pullId: z.string() }), response: PullStatus,
  },
  startMatching: {
    method: 'POST', path: '/api/v1/connections/:id/matching/run', summary: "Match local contacts with the connection's remote contacts: auto-link the certain ones, suggest the rest (background job).",
    auth: 'session', params: ConnectionParams, response: MatchingRunStatus, status: 202,
  },
  getMatchingRun: {
    method: 'GET', path: '/api/v1/connections/:id/matching/runs/:runId', summary: "A matching run's state and counts (auto-linked, suggested, unmatched).", auth: 'session',
    params: z.object({ id: z.string(), runId: z.string() }), response: MatchingRunStatus,
  },
  listSuggestions: {
    method: 'GET', path: '/api/v1/connections/:id/suggestions', summary: 'Pending match suggestions with candidates, scores and reasons, paged.', auth: 'session',
    params: ConnectionParams, query: SuggestionListQuery, response: SuggestionList,
  },
  decideSuggestions: {
    method: 'POST', path: '/api/v1/connections/:id/suggestions/decisions', summary: 'Accept (link) or reject match suggestions; a result per decision.', auth: 'session',
    params: ConnectionParams, body: SuggestionDecisionsRequest, response: SuggestionDecisionsResponse,
  },
  ...transactionRoutes,
  ...hubRoutes,
  ...connectionRoutes,
  ...opsRoutes,
  ...sessionRoutes,
} as const satisfies Record<string, RouteDef>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
