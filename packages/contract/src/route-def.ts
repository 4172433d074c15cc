import type { z } from 'zod';

/** One route of the public HTTP API (see routes.ts). */
export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  /** `session`: a console session cookie or a host app's `Authorization: Bearer <api key>`. */
  readonly auth: 'none' | 'session';
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  readonly status?: number;
}
