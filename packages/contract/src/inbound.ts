import { z } from 'zod';

export const WebhookParams = z.object({ connectorId: z.string().min(1).max(100) });
export type WebhookParams = z.infer<typeof WebhookParams>;

/** What the hub answers a provider's webhook delivery (the provider only looks at the status). */
export const WebhookReceipt = z.object({
  /** Change events the delivery announced. */
  events: z.number().int().nonnegative(),
  /** InboundEvents newly stored (a replayed delivery stores none). */
  stored: z.number().int().nonnegative(),
  /** Events already stored by an earlier delivery of the same change. */
  duplicates: z.number().int().nonnegative(),
});
export type WebhookReceipt = z.infer<typeof WebhookReceipt>;
