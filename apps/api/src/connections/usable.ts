import { ApiErrors } from '../common/api-error.js';

/** What a route needs to know about a connection before it starts work on it. */
export interface ConnectionState {
  readonly displayName: string;
  readonly status: string;
  readonly enabled: boolean;
}

/**
 * The one check before a person or the host app starts work on a connection (upload, pull, sync,
 * matching): it must be connected and not paused. Refuses with 409 and the fix.
 */
export function assertUsable(connection: ConnectionState, action: string): void {
  if (connection.status !== 'connected') {
    throw ApiErrors.conflict(`The ${connection.displayName} connection is ${connection.status.replace('_', ' ')}: reconnect it from Integrations before ${action}.`);
  }
  if (!connection.enabled) {
    throw ApiErrors.conflict(`The ${connection.displayName} connection is paused: enable it in Integrations (PUT /api/v1/connections/:id/enabled) before ${action}.`);
  }
}
