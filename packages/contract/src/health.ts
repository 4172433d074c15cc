import { z } from 'zod';

export const DependencyHealth = z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() });

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: DependencyHealth.extend({ kind: z.enum(['postgresql', 'pglite']) }),
  redis: DependencyHealth,
  /** Jobs per queue (absent when Redis does not answer): a growing `waiting` means workers are missing or stuck. */
  queues: z.record(z.string(), z.object({ waiting: z.number().int(), active: z.number().int(), delayed: z.number().int(), failed: z.number().int() })).optional(),
});
export type Health = z.infer<typeof Health>;

/** Liveness: the process answers (no dependency is checked; restart it when this fails). */
export const Liveness = z.object({ status: z.literal('ok'), version: z.string() });
export type Liveness = z.infer<typeof Liveness>;
