import { z } from 'zod';

const CRON = /^(\S+\s+){4,5}\S+$/;

/** When a connection pulls and matches on its own: never, every N minutes, or a cron expression (UTC). */
export const ScheduleSetting = z.discriminatedUnion('type', [
  z.object({ type: z.literal('off') }),
  z.object({ type: z.literal('interval'), minutes: z.number().int().min(5, 'is at least 5 minutes').max(10_080, 'is at most 10080 minutes (one week)') }),
  z.object({ type: z.literal('cron'), expression: z.string().regex(CRON, 'is a cron expression of 5 or 6 fields, e.g. "0 2 * * *"') }),
]);
export type ScheduleSetting = z.infer<typeof ScheduleSetting>;

export const ConnectionSettings = z.object({
  schedule: ScheduleSetting,
  /** What an upload does when the provider already has a contact with the same display name. */
  displayNameCollision: z.enum(['link_if_same_person', 'suffix', 'fail']),
  /** Default item and account codes used for document lines that name none. */
  documentDefaults: z.object({
    itemCode: z.string().trim().min(1).max(100).nullable(),
    accountCode: z.string().trim().min(1).max(100).nullable(),
  }),
  /** Who wins when a field mapped both ways changed on both sides. */
  conflictPolicy: z.enum(['hub_wins', 'remote_wins', 'newest_wins']),
});
export type ConnectionSettings = z.infer<typeof ConnectionSettings>;

export const DEFAULT_CONNECTION_SETTINGS: ConnectionSettings = {
  schedule: { type: 'off' },
  displayNameCollision: 'link_if_same_person',
  documentDefaults: { itemCode: null, accountCode: null },
  conflictPolicy: 'hub_wins',
};

export const ConnectionSettingsView = z.object({ connectionId: z.string(), settings: ConnectionSettings });
export type ConnectionSettingsView = z.infer<typeof ConnectionSettingsView>;
