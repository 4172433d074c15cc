import type { Role } from '@ledgerlink/contract';

/** Who is calling, attached to the request by AuthGuard. Every service call is scoped by it. */
export interface AuthContext {
  readonly sessionId: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly workspaceId: string;
  readonly workspaceName: string;
}

export const ROLE_RANK: Record<Role, number> = { viewer: 1, admin: 2, owner: 3 };
