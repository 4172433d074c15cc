import { z } from 'zod';

export const DependencyHealth = z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() });

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: DependencyHealth.extend({ kind: z.enum(['postgresql', 'pglite']) }),
  redis: DependencyHealth,
});
export type Health = z.infer<typeof Health>;
