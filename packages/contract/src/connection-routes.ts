import { z } from 'zod';
import type { RouteDef } from './route-def.js';
import { Connection } from './connectors.js';
import { ImportContactsReport, ImportContactsRequest } from './contacts-import.js';

const ConnectionParams = z.object({ id: z.string() });

export const SetConnectionEnabledRequest = z.object({
  /** false pauses the connection: no schedule, no sync run, no outbound write, inbound webhooks stored but not applied until enabled again. */
  enabled: z.boolean(),
});
export type SetConnectionEnabledRequest = z.infer<typeof SetConnectionEnabledRequest>;

/** Connection lifecycle (enable, disable, disconnect) and the host app's CSV contact import. Spread into `routes` (routes.ts). */
export const connectionRoutes = {
  setConnectionEnabled: {
    method: 'PUT', path: '/api/v1/connections/:id/enabled', summary: 'Enable or pause a connection (owner/admin); a paused connection keeps its links and credentials.',
    auth: 'session', params: ConnectionParams, body: SetConnectionEnabledRequest, response: Connection,
  },
  disconnectConnection: {
    method: 'POST', path: '/api/v1/connections/:id/disconnect', summary: "Disconnect (owner/admin): revokes the provider's tokens, erases the stored credentials, keeps links and history for a later reconnect.",
    auth: 'session', params: ConnectionParams, response: Connection,
  },
  importContacts: {
    method: 'POST', path: '/api/v1/contacts/import',
    summary: 'Create or update contacts from a CSV (JSON {csv} or the file as text/csv; at most 5 MB and 20,000 rows): good rows stored, each bad row reported with its line, column and reason.',
    auth: 'session', body: ImportContactsRequest, response: ImportContactsReport,
  },
} as const satisfies Record<string, RouteDef>;
