import type { RouteDef } from './route-def.js';

/** The signed-in user's workspaces and switching between them. Spread into `routes` (routes.ts). */
export const sessionRoutes = {
} as const satisfies Record<string, RouteDef>;
