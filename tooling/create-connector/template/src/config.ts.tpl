import { z } from 'zod';

/**
 * Configuration of the __DISPLAY_NAME__ connector. The host builds it from the environment
 * variables `__ENV_PREFIX__<KEY>` (CLIENT_ID → clientId, BASE_URL → baseUrl, ...), so every value
 * may arrive as a string.
 */
export const ConfigSchema = z.object({
  clientId: z.string({ error: 'clientId is required: set __ENV_PREFIX__CLIENT_ID to your app’s client id' }).min(1),
  clientSecret: z.string({ error: 'clientSecret is required: set __ENV_PREFIX__CLIENT_SECRET to your app’s client secret' }).min(1),
  /** Where the provider's API and OAuth endpoints live (no trailing slash). */
  baseUrl: z.url({ error: 'baseUrl must be an absolute URL; fix __ENV_PREFIX__BASE_URL' }).transform((url) => url.replace(/\/+$/, '')),
  /** Where people open records in the provider's web app. */
  appBaseUrl: z.url({ error: 'appBaseUrl must be an absolute URL; fix __ENV_PREFIX__APP_BASE_URL' }).optional(),
  /** Shared secret the provider signs webhooks with. */
  webhookSecret: z.string().min(16, { error: 'webhookSecret must be at least 16 characters; fix __ENV_PREFIX__WEBHOOK_SECRET' }).optional(),
});

export type Config = z.output<typeof ConfigSchema>;
