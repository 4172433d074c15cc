import { type Connection, ConnectionStatus } from '@ledgerlink/contract';
import type { ConnectionRow } from './connections.repository.js';

export function toConnectionView(row: ConnectionRow): Connection {
  const status = ConnectionStatus.safeParse(row.status);
  return {
    id: row.id,
    connectorId: row.connectorId,
    displayName: row.displayName,
    status: status.success ? status.data : 'disconnected',
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    statusReason: row.statusReason,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
  };
}

export type OAuthOutcome = { readonly ok: true; readonly connectionId: string } | { readonly ok: false; readonly reason: string };

/** Where the browser goes after the provider's consent: back to the console's Integrations page. */
export function oauthRedirectUrl(consoleUrl: string, outcome: OAuthOutcome): string {
  const url = new URL(`${consoleUrl}/integrations`);
  if (outcome.ok) url.searchParams.set('connected', outcome.connectionId);
  else url.searchParams.set('error', outcome.reason);
  return url.toString();
}
