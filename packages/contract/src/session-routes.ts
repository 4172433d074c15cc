import { z } from 'zod';
import type { RouteDef } from './route-def.js';
import { SessionInfo, SwitchWorkspaceRequest, WorkspaceMembership } from './auth.js';

/** The signed-in user's workspaces and switching between them. Spread into `routes` (routes.ts). */
export const sessionRoutes = {
  listWorkspaces: {
    method: 'GET', path: '/api/v1/auth/workspaces', summary: "The workspaces the signed-in person belongs to, with their role in each (an API key: its own workspace).",
    auth: 'session', response: z.array(WorkspaceMembership),
  },
  switchWorkspace: {
    method: 'POST', path: '/api/v1/auth/workspace', summary: "Move this console session to another of the person's workspaces; the role is that membership's.",
    auth: 'session', body: SwitchWorkspaceRequest, response: SessionInfo,
  },
} as const satisfies Record<string, RouteDef>;
