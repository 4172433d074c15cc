import { z } from 'zod';

export const Role = z.enum(['owner', 'admin', 'viewer']);
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SessionInfo = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: Role }),
  workspace: z.object({ id: z.string(), name: z.string() }),
  /**
   * Send as `X-CSRF-Token` on every state-changing request made with the session cookie (also
   * readable from the non-HttpOnly `ll_csrf` cookie). Absent for API-key callers, which are exempt.
   */
  csrfToken: z.string().optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const WorkspaceMembership = z.object({ id: z.string(), name: z.string(), role: Role, current: z.boolean() });
export type WorkspaceMembership = z.infer<typeof WorkspaceMembership>;

export const SwitchWorkspaceRequest = z.object({ workspaceId: z.string().min(1).max(64) });
export type SwitchWorkspaceRequest = z.infer<typeof SwitchWorkspaceRequest>;
