import { z } from 'zod';
import type { ZodType } from 'zod';
import type { ConnectorContext, Credentials, Tenant } from './context.js';
import type { ConnectorSession } from './session.js';
import { ContactKind, TransactionType } from './models.js';

/** Version of this SDK; a connector's `host` range must include it. */
export const SDK_VERSION = '0.1.0';

export const FieldType = z.enum(['string', 'email', 'phone', 'address', 'boolean', 'number', 'money', 'date', 'enum', 'reference']);
export type FieldType = z.infer<typeof FieldType>;

export const FieldSpec = z.object({
  /** The remote field's path (e.g. "PrimaryEmailAddr.Address"). */
  id: z.string().min(1),
  label: z.string().min(1),
  type: FieldType,
  maxLength: z.number().int().positive().optional(),
  required: z.boolean().default(false),
  writable: z.boolean().default(true),
  /** Card or bank numbers and the like: never mappable. */
  secure: z.boolean().default(false),
  /** The canonical Contact field it maps to by default (e.g. "emails[primary]"). */
  canonical: z.string().optional(),
});
export type FieldSpec = z.input<typeof FieldSpec>;

export const Capabilities = z.object({
  contactKinds: z.array(ContactKind).min(1),
  transactionTypes: z.array(TransactionType).default([]),
  search: z.boolean(),
  read: z.boolean(),
  write: z.boolean(),
  inboundWebhooks: z.boolean().default(false),
  changeFeed: z.boolean().default(false),
  bidirectional: z.boolean().default(false),
});
export type Capabilities = z.input<typeof Capabilities>;

export const Limits = z.object({
  requestsPerWindow: z.number().int().positive(),
  windowSeconds: z.number().positive(),
  concurrency: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  dailyCap: z.number().int().positive().optional(),
});
export type Limits = z.input<typeof Limits>;

export interface OAuthExchangeInput<Config> {
  readonly config: Config;
  readonly redirectUri: string;
  /** The full URL the provider redirected the person back to (code, state, realmId, ...). */
  readonly callbackUrl: string;
}

export interface OAuthExchangeResult {
  readonly credentials: Credentials;
  /** The tenants (companies, organisations, portals) the consent covers. */
  readonly tenants: readonly Tenant[];
}

export interface OAuth2Auth<Config> {
  readonly type: 'oauth2';
  readonly scopes: readonly string[];
  authorizeUrl(input: { readonly config: Config; readonly state: string; readonly redirectUri: string }): string | Promise<string>;
  exchange(input: OAuthExchangeInput<Config>): Promise<OAuthExchangeResult>;
  /** Returns fresh credentials; a rotated refresh token must be included so the host stores it. */
  refresh(input: { readonly config: Config; readonly credentials: Credentials }): Promise<Credentials>;
  revoke?(input: { readonly config: Config; readonly credentials: Credentials }): Promise<void>;
}

export interface ApiKeyAuth {
  readonly type: 'api_key';
  readonly label: string;
}

export interface ConnectorDefinition<Config = unknown> {
  /** Kebab-case id, unique among installed connectors (e.g. "quickbooks-online"). */
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly category: 'accounting' | 'crm';
  /** Semver range of @ledgerlink/connector-sdk this connector works with. */
  readonly host: string;
  /** An SVG document or data: URI shown in the console. */
  readonly logo?: string;
  readonly capabilities: Capabilities;
  /** Validates the host-supplied configuration (client ids, base URLs). */
  readonly config: ZodType<Config>;
  readonly auth: OAuth2Auth<Config> | ApiKeyAuth;
  /** Remote field catalog per entity. */
  readonly fields: { readonly customer?: readonly FieldSpec[]; readonly supplier?: readonly FieldSpec[] };
  readonly limits: Limits;
  connect(ctx: ConnectorContext<Config>): ConnectorSession | Promise<ConnectorSession>;
}

const DEFINITION = Symbol.for('ledgerlink.connector');

/** Tags a connector definition. Validation happens when the host loads it (validateConnector). */
export function defineConnector<Config>(definition: ConnectorDefinition<Config>): ConnectorDefinition<Config> {
  Object.defineProperty(definition, DEFINITION, { value: true, enumerable: false });
  return definition;
}

export function isConnectorDefinition(value: unknown): value is ConnectorDefinition<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINITION] === true;
}

const Manifest = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'id must be kebab-case (a-z, 0-9, -), 2 to 63 characters'),
  displayName: z.string().min(1),
  description: z.string().min(1),
  category: z.enum(['accounting', 'crm']),
  host: z.string().min(1),
  logo: z.string().optional(),
  capabilities: Capabilities,
  fields: z.object({ customer: z.array(FieldSpec).optional(), supplier: z.array(FieldSpec).optional() }),
  limits: Limits,
});

export type ManifestProblem = { readonly path: string; readonly message: string };

/**
 * Checks a loaded module's default export: shape, and whether `host` accepts this SDK version.
 * `satisfies` is passed in by the host (semver), keeping this package free of dependencies.
 */
export function validateConnector(value: unknown, satisfies: (version: string, range: string) => boolean): ManifestProblem[] {
  if (!isConnectorDefinition(value)) {
    return [{ path: '(default export)', message: 'is not made with defineConnector() from @ledgerlink/connector-sdk' }];
  }
  const parsed = Manifest.safeParse(value);
  const problems: ManifestProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
  if (typeof value.connect !== 'function') problems.push({ path: 'connect', message: 'must be a function' });
  if (typeof value.config?.safeParse !== 'function') problems.push({ path: 'config', message: 'must be a zod schema' });
  if (value.auth?.type === 'oauth2') {
    for (const fn of ['authorizeUrl', 'exchange', 'refresh'] as const) {
      if (typeof value.auth[fn] !== 'function') problems.push({ path: `auth.${fn}`, message: 'must be a function' });
    }
  }
  if (typeof value.host === 'string' && !satisfies(SDK_VERSION, value.host)) {
    problems.push({ path: 'host', message: `range "${value.host}" does not include the installed @ledgerlink/connector-sdk ${SDK_VERSION}` });
  }
  return problems;
}
