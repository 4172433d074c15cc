import type { RouteDef } from './route-def.js';

/** Field mappings, CSV import, activity, connection settings and schedules, inbound and outbound webhooks. Spread into `routes` (routes.ts). */
export const hubRoutes = {
} as const satisfies Record<string, RouteDef>;
