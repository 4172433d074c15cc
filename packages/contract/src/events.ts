import { z } from 'zod';

/** Every event type the hub publishes to the host app (feed and webhooks). */
export const HUB_EVENT_TYPES = [
  'link.linked',
  'link.unlinked',
  'link.updated',
  'link.invalidated',
  'link.repointed',
  'link.relinked',
  'link.upload_failed',
  'sync_run.completed',
  'sync_run.failed',
  'transaction.failed',
  'connection.needs_reauth',
  'connection.paused',
  'connection.enabled',
  'connection.disconnected',
] as const;
export const HubEventType = z.enum(HUB_EVENT_TYPES);
export type HubEventType = z.infer<typeof HubEventType>;

export const HubEventView = z.object({
  /** Position in the workspace's feed (a decimal string: it can exceed 2^53). */
  seq: z.string(),
  id: z.string(),
  type: z.string(),
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type HubEventView = z.infer<typeof HubEventView>;

export const EventsQuery = z.object({
  /** Events after this seq (the `next` of the previous page; omit for the start). */
  after: z.string().regex(/^\d{1,19}$/, 'must be a seq from an earlier answer (digits only)').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type EventsQuery = z.input<typeof EventsQuery>;

export const EventsPage = z.object({
  items: z.array(HubEventView),
  /** Pass as `after` to continue; the last item's seq, or the `after` given when there was nothing new. */
  next: z.string().nullable(),
});
export type EventsPage = z.infer<typeof EventsPage>;

export const CreateWebhookEndpointRequest = z.object({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL your app receives webhooks on' })
    .max(2000),
  /** Event types to send; empty or absent: all. */
  events: z.array(HubEventType).max(HUB_EVENT_TYPES.length).optional(),
});
export type CreateWebhookEndpointRequest = z.infer<typeof CreateWebhookEndpointRequest>;

export const WebhookEndpointView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type WebhookEndpointView = z.infer<typeof WebhookEndpointView>;

export const CreatedWebhookEndpoint = WebhookEndpointView.extend({
  /** The signing secret: shown in this answer only. */
  secret: z.string(),
});
export type CreatedWebhookEndpoint = z.infer<typeof CreatedWebhookEndpoint>;

export const WebhookDeliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;
