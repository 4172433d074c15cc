import type { RouteDef } from './route-def.js';

/** Transactions from the host app, their sync to accounting connections (runs and batches), and remote transactions read back. Spread into `routes` (routes.ts). */
export const transactionRoutes = {
} as const satisfies Record<string, RouteDef>;
