import { z } from 'zod';

export const ActivityQuery = z.object({
  /** Actor id (a user id or an API key id). */
  actorId: z.string().min(1).optional(),
  /** Exact action, e.g. "mapping.saved". */
  action: z.string().min(1).max(100).optional(),
  /** Entity type, e.g. "connection"; with entityId, one record. */
  entityType: z.string().min(1).max(100).optional(),
  entityId: z.string().min(1).optional(),
  /** ISO 8601 bounds on when it happened: from inclusive, to exclusive. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `nextCursor` from the previous page. */
  cursor: z.string().min(1).optional(),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;

export const ActivityEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;

export const ActivityPage = z.object({ items: z.array(ActivityEntry), nextCursor: z.string().nullable() });
export type ActivityPage = z.infer<typeof ActivityPage>;
