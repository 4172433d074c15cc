import type { RouteDef } from './route-def.js';

/** Connection lifecycle (enable, disable, disconnect) and the host app's CSV contact import. Spread into `routes` (routes.ts). */
export const connectionRoutes = {
} as const satisfies Record<string, RouteDef>;
