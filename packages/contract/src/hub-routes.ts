import { z } from 'zod';
import type { RouteDef } from './route-def.js';
import { ActivityPage, ActivityQuery } from './activity.js';
import { WebhookParams, WebhookReceipt } from './inbound.js';
import { ConnectionSettings, ConnectionSettingsView } from './settings.js';
import { MappingDetail, MappingParams, MappingPreviewView, MappingVersionList, PreviewMappingRequest, SaveMappingRequest } from './mappings.js';

/** Field mappings, CSV import, activity, connection settings and schedules, inbound and outbound webhooks. Spread into `routes` (routes.ts). */
export const hubRoutes = {
  getMapping: {
    method: 'GET', path: '/api/v1/connections/:id/mappings/:entity', summary: "The field mapping in force for an entity, the connector's field catalog and its default rules.",
    auth: 'session', params: MappingParams, response: MappingDetail,
  },
  saveMapping: {
    method: 'PUT', path: '/api/v1/connections/:id/mappings/:entity', summary: 'Save a new mapping version, effective now (required fields must stay mapped; secure fields cannot be mapped).',
    auth: 'session', params: MappingParams, body: SaveMappingRequest, response: MappingDetail,
  },
  previewMapping: {
    method: 'POST', path: '/api/v1/connections/:id/mappings/:entity/preview', summary: 'Dry run: what sample local contacts would send under the current and the proposed mapping. Nothing is saved.',
    auth: 'session', params: MappingParams, body: PreviewMappingRequest, response: MappingPreviewView, status: 200,
  },
  listMappingVersions: {
    method: 'GET', path: '/api/v1/connections/:id/mappings/:entity/versions', summary: 'Every saved version of the mapping, newest first.',
    auth: 'session', params: MappingParams, response: MappingVersionList,
  },
  getConnectionSettings: {
    method: 'GET', path: '/api/v1/connections/:id/settings', summary: "A connection's settings: schedule, display-name collision policy, document defaults, conflict policy.",
    auth: 'session', params: z.object({ id: z.string() }), response: ConnectionSettingsView,
  },
  saveConnectionSettings: {
    method: 'PUT', path: '/api/v1/connections/:id/settings', summary: "Replace a connection's settings (every field; unknown fields are refused).",
    auth: 'session', params: z.object({ id: z.string() }), body: ConnectionSettings.strict(), response: ConnectionSettingsView,
  },
  listActivity: {
    method: 'GET', path: '/api/v1/activity', summary: "The workspace's audit trail, newest first, filtered by actor, action, entity and time; keyset paged.",
    auth: 'session', query: ActivityQuery, response: ActivityPage,
  },
  receiveWebhook: {
    method: 'POST', path: '/api/v1/webhooks/:connectorId', summary: "A provider's signed change notification (the connector checks the signature on the raw body; 401 when it does not match).",
    auth: 'none', params: WebhookParams, response: WebhookReceipt, status: 200,
  },
} as const satisfies Record<string, RouteDef>;
