import { z } from 'zod';

export const ConnectorInfo = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string(),
  category: z.enum(['accounting', 'crm']),
  logo: z.string().optional(),
  authType: z.enum(['oauth2', 'api_key']),
  /** False when the host has no configuration (client id/secret) for it. */
  configured: z.boolean(),
  contactKinds: z.array(z.enum(['customer', 'supplier'])),
});
export type ConnectorInfo = z.infer<typeof ConnectorInfo>;

export const ConnectionStatus = z.enum(['pending', 'connected', 'needs_reauth', 'disconnected']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const Connection = z.object({
  id: z.string(),
  connectorId: z.string(),
  displayName: z.string(),
  status: ConnectionStatus,
  tenantId: z.string().nullable(),
  tenantName: z.string().nullable(),
  statusReason: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type Connection = z.infer<typeof Connection>;

export const CreateConnectionRequest = z.object({
  connectorId: z.string().min(1).max(64),
  /**
   * Reconnect this existing connection (needs re-authorisation or disconnected) in place, keeping
   * its links, mappings and history; the same company or tenant must be chosen at the provider.
   */
  connectionId: z.string().min(1).max(64).optional(),
});
export type CreateConnectionRequest = z.infer<typeof CreateConnectionRequest>;

export const CreateConnectionResponse = z.object({ connectionId: z.string(), authorizeUrl: z.url() });
export type CreateConnectionResponse = z.infer<typeof CreateConnectionResponse>;
