import { connectorEnvVar } from '@ledgerlink/connector-sdk';
import { z } from 'zod';

/**
 * Configuration of the Xero connector. The host builds it from `LEDGERLINK_CONNECTOR_XERO_<KEY>`
 * (CLIENT_ID → clientId, ISSUER_URL → issuerUrl, …), so every value may arrive as a string;
 * empty strings count as "not set".
 */


/** The environment variable the host reads a config key from (clientId → …_CLIENT_ID). */
export function envVarFor(key: string): string {
  return connectorEnvVar('xero', key);
}

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const secret = (key: string, what: string) =>
  z.preprocess(
    blankToUndefined,
    z.string({ error: `${key} is required: set ${envVarFor(key)} to your Xero app's ${what} (developer.xero.com → My Apps → your app → Configuration)` }),
  );

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

export const XeroConfigSchema = z.object({
  clientId: secret('clientId', 'client id'),
  clientSecret: secret('clientSecret', 'client secret'),
  /** OpenID Connect issuer; its discovery document names the authorize, token and revocation endpoints. */
  issuerUrl: endpoint('issuerUrl', 'https://identity.xero.com'),
  apiBaseUrl: endpoint('apiBaseUrl', 'https://api.xero.com/api.xro/2.0'),
  connectionsUrl: endpoint('connectionsUrl', 'https://api.xero.com/connections'),
  appBaseUrl: endpoint('appBaseUrl', 'https://go.xero.com'),
  /** Webhook signing key (developer.xero.com → your app → Webhooks); without it every webhook is refused. */
  webhookKey: z.preprocess(blankToUndefined, z.string().optional()),
  /**
   * Which transaction scopes to ask for: `granular` (accounting.invoices + accounting.payments,
   * the only ones apps created from 2 March 2026 may request) or `classic`
   * (accounting.transactions, for older apps until Xero retires it).
   */
  scopeSet: z.preprocess(
    blankToUndefined,
    z.enum(['granular', 'classic'], { error: `scopeSet must be granular or classic; fix ${envVarFor('scopeSet')} or unset it to use granular` }).default('granular'),
  ),
});

export type XeroConfig = z.output<typeof XeroConfigSchema>;
export type XeroConfigInput = z.input<typeof XeroConfigSchema>;

/** Parses a configuration, throwing one Error that lists every problem by field. */
export function parseXeroConfig(input: unknown): XeroConfig {
  const parsed = XeroConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.') || '(config)';
    return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
  });
  throw new Error(`Invalid Xero connector configuration: ${problems.join('; ')}`);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
