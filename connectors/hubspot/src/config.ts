import { connectorEnvVar } from '@ledgerlink/connector-sdk';
import { z } from 'zod';

/**
 * Configuration of the HubSpot connector. The host builds it from `LEDGERLINK_CONNECTOR_HUBSPOT_<KEY>`
 * (CLIENT_ID → clientId, API_BASE_URL → apiBaseUrl, …), so every value may arrive as a string;
 * empty strings count as "not set".
 */

/** The environment variable the host reads a config key from (clientId → …_CLIENT_ID). */
export function envVarFor(key: string): string {
  return connectorEnvVar('hubspot', key);
}

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const secret = (key: string, what: string) =>
  z.preprocess(blankToUndefined, z.string({ error: `${key} is required: set ${envVarFor(key)} to your HubSpot app's ${what} (HubSpot developer account → Apps → your app → Auth)` }));

const endpoint = (key: string, fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine(isHttpUrl, { error: `${key} must be an absolute http(s) URL; fix ${envVarFor(key)} or unset it to use ${fallback}` })
      .transform((value) => value.replace(/\/+$/, ''))
      .default(fallback),
  );

/** The token endpoint's path below the OAuth base path (@hubspot/api-client appends it to `basePath`). */
export const TOKEN_PATH = '/oauth/v1/token';

export const HubspotConfigSchema = z
  .object({
    clientId: secret('clientId', 'client id'),
    clientSecret: secret('clientSecret', 'client secret'),
    authorizeUrl: endpoint('authorizeUrl', 'https://app.hubspot.com/oauth/authorize'),
    /** Must end in /oauth/v1/token: @hubspot/api-client is pointed at what comes before it. */
    tokenUrl: endpoint('tokenUrl', 'https://api.hubapi.com/oauth/v1/token'),
    /** The CRM API (`basePath` of @hubspot/api-client). */
    apiBaseUrl: endpoint('apiBaseUrl', 'https://api.hubapi.com'),
    /** HubSpot's web app, for deep links to records. */
    appBaseUrl: endpoint('appBaseUrl', 'https://app.hubspot.com'),
    /** Signs webhooks (v3); HubSpot uses the app's client secret. Defaults to clientSecret. */
    webhookSecret: z.preprocess(blankToUndefined, z.string().optional()),
    /** Refuse webhooks whose X-HubSpot-Request-Timestamp is older than this (HubSpot: 5 minutes). */
    webhookMaxAgeSeconds: z.preprocess(blankToUndefined, z.coerce.number({ error: `webhookMaxAgeSeconds must be a number of seconds; fix ${envVarFor('webhookMaxAgeSeconds')}` }).int().positive().default(300)),
  })
  .refine((config) => config.tokenUrl.endsWith(TOKEN_PATH), {
    path: ['tokenUrl'],
    error: `tokenUrl must end in ${TOKEN_PATH} (e.g. https://api.hubapi.com${TOKEN_PATH}); fix ${envVarFor('tokenUrl')}`,
  });

export type HubspotConfig = z.output<typeof HubspotConfigSchema>;
export type HubspotConfigInput = z.input<typeof HubspotConfigSchema>;

/** Parses a configuration, throwing one Error that lists every problem by field. */
export function parseHubspotConfig(input: unknown): HubspotConfig {
  const parsed = HubspotConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.') || '(config)';
    return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
  });
  throw new Error(`Invalid HubSpot connector configuration: ${problems.join('; ')}`);
}

/** The base path @hubspot/api-client's OAuth calls are made against. */
export function oauthBasePath(config: HubspotConfig): string {
  return config.tokenUrl.slice(0, -TOKEN_PATH.length);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
