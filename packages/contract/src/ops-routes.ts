import type { RouteDef } from './route-def.js';

/** Outbound events for the host app (webhook endpoints, the events feed) and operations (metrics, queue board). Spread into `routes` (routes.ts). */
export const opsRoutes = {
} as const satisfies Record<string, RouteDef>;
