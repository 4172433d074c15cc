import { connectorEnvVar } from '@ledgerlink/connector-sdk';
import { z } from 'zod';

/**
 * Configuration of the QuickBooks Online connector. The host builds it from the environment
 * variables `LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_<KEY>` (CLIENT_ID → clientId, API_BASE_URL →
 * apiBaseUrl, …), so every value may arrive as a string; numbers are coerced and empty strings
 * count as "not set".
 */

export const PRODUCTION_API_BASE_URL = 'https://quickbooks.api.intuit.com';
export const SANDBOX_API_BASE_URL = 'https://sandbox-quickbooks.api.intuit.com';
export const PRODUCTION_USERINFO_ENDPOINT = 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo';
export const SANDBOX_USERINFO_ENDPOINT = 'https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo';


/** The environment variable the host reads a config key from (clientId → …_CLIENT_ID). */
export function envVarFor(key: string): string {
  return connectorEnvVar('quickbooks-online', key);
}

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const secret = (key: string, what: string) =>
  z.preprocess(
    blankToUndefined,
    z.string({ error: `${key} is required: set ${envVarFor(key)} to your Intuit app's ${what} (developer.intuit.com → your app → Keys & credentials)` }),
  );

const url = (key: string, fallback?: string) =>
  z
    .string()
    .trim()
    .refine((value) => isHttpUrl(value), {
      error: `${key} must be an absolute http(s) URL; fix ${envVarFor(key)}${fallback ? ` or unset it to use ${fallback}` : ''}`,
    })
    .transform((value) => value.replace(/\/+$/, ''));

/** An endpoint URL with a default (trailing slashes removed). */
const endpoint = (key: string, fallback: string) => z.preprocess(blankToUndefined, url(key, fallback).default(fallback));

/** An endpoint URL whose default depends on `environment` (filled in after parsing). */
const optionalEndpoint = (key: string) => z.preprocess(blankToUndefined, url(key).optional());

export const QboConfigSchema = z
  .object({
    clientId: secret('clientId', 'client id'),
    clientSecret: secret('clientSecret', 'client secret'),
    environment: z.preprocess(
      (value) => (typeof value === 'string' ? blankToUndefined(value.trim().toLowerCase()) : value),
      z
        .enum(['production', 'sandbox'], {
          error: `environment must be "production" or "sandbox"; fix ${envVarFor('environment')}`,
        })
        .default('production'),
    ),
    authorizeEndpoint: endpoint('authorizeEndpoint', 'https://appcenter.intuit.com/connect/oauth2'),
    tokenEndpoint: endpoint('tokenEndpoint', 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer'),
    revokeEndpoint: endpoint('revokeEndpoint', 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke'),
    userinfoEndpoint: optionalEndpoint('userinfoEndpoint'),
    apiBaseUrl: optionalEndpoint('apiBaseUrl'),
    appBaseUrl: endpoint('appBaseUrl', 'https://app.qbo.intuit.com/app'),
    webhookVerifierToken: z.preprocess(blankToUndefined, z.string().optional()),
    defaultItem: z.preprocess(blankToUndefined, z.string().trim().optional()),
    defaultExpenseAccount: z.preprocess(blankToUndefined, z.string().trim().optional()),
    cdcPastCap: z.preprocess(
      (value) => (typeof value === 'string' ? blankToUndefined(value.trim().toLowerCase()) : value),
      z.enum(['query', 'continue'], { error: `cdcPastCap must be "query" or "continue"; fix ${envVarFor('cdcPastCap')}` }).default('query'),
    ),
    minorVersion: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: `minorVersion must be a whole number such as 75; fix ${envVarFor('minorVersion')}` })
        .int({ error: `minorVersion must be a whole number such as 75; fix ${envVarFor('minorVersion')}` })
        .min(1, { error: `minorVersion must be at least 1 (QuickBooks treats anything below 75 as 75); fix ${envVarFor('minorVersion')}` })
        .default(75),
    ),
  })
  .transform((config) => ({
    ...config,
    userinfoEndpoint: config.userinfoEndpoint ?? (config.environment === 'sandbox' ? SANDBOX_USERINFO_ENDPOINT : PRODUCTION_USERINFO_ENDPOINT),
    apiBaseUrl: config.apiBaseUrl ?? (config.environment === 'sandbox' ? SANDBOX_API_BASE_URL : PRODUCTION_API_BASE_URL),
  }));

export type QboConfig = z.output<typeof QboConfigSchema>;
export type QboConfigInput = z.input<typeof QboConfigSchema>;

/** Parses a configuration, throwing one Error that lists every problem by field. */
export function parseQboConfig(input: unknown): QboConfig {
  const parsed = QboConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.') || '(config)';
    return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
  });
  throw new Error(`Invalid QuickBooks Online connector configuration: ${problems.join('; ')}`);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
