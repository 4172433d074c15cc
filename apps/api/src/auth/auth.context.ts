import type { Role } from '@ledgerlink/contract';

/**
 * Who is calling, attached to the request by AuthGuard. Every service call is scoped by it.
 * A console session (`via: 'session'`) or a host app's API key (`via: 'api_key'`: then
 * `userId` is the key's id, `name` the key's name, and there is no session or CSRF token).
 */
export interface AuthContext {
  readonly via: 'session' | 'api_key';
  readonly sessionId: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly workspaceId: string;
  readonly workspaceName: string;
  /** The token state-changing cookie requests must carry as X-CSRF-Token (sessions only). */
  readonly csrfToken: string | null;
}

/** The actor recorded in audit trails (LinkEvent, AuditLog). */
export function actorOf(auth: AuthContext): { readonly actorType: 'user' | 'host'; readonly actorId: string } {
  return auth.via === 'api_key' ? { actorType: 'host', actorId: auth.userId } : { actorType: 'user', actorId: auth.userId };
}

export const ROLE_RANK: Record<Role, number> = { viewer: 1, admin: 2, owner: 3 };
