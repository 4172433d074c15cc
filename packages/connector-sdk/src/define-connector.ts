import { z } from 'zod';
import type { ZodType } from 'zod';
import type { ConnectorContext, Credentials, Tenant } from './context.js';
import type { ConnectorSession } from './session.js';
import { ContactKind, RemoteStatus, TransactionType } from './models.js';

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
  /**
   * Lifecycle states (besides active) the remote system has and the connector reports in
   * RemoteContact.status / remote_inactive errors. QBO: inactive, merged; Xero: archived.
   */
  remoteStatuses: z.array(RemoteStatus.exclude(['active'])).default([]),
  /** The provider refuses a second contact with the same display name (QBO, Xero): upsert gives `duplicate`. */
  uniqueDisplayNames: z.boolean().default(false),
});
export type Capabilities = z.input<typeof Capabilities>;
export type ResolvedCapabilities = z.output<typeof Capabilities>;

/** How to read a provider's rate-limit headers (names are matched case-insensitively). */
export const LimitHeaders = z.object({
  /** Requests left in the current window (e.g. "x-ratelimit-remaining"). */
  remaining: z.string().min(1).optional(),
  /** Size of the window's budget (e.g. "x-ratelimit-limit"). */
  limit: z.string().min(1).optional(),
  /** When the window resets (e.g. "x-ratelimit-reset"), read as `resetUnit`. */
  reset: z.string().min(1).optional(),
  resetUnit: z.enum(['seconds', 'epoch-seconds', 'epoch-ms', 'http-date']).default('seconds'),
  /** Wait before retrying after a refusal; seconds or an HTTP date. */
  retryAfter: z.string().min(1).default('retry-after'),
  /** Requests left today, when the provider has a daily cap (Xero "x-daylimit-remaining"). */
  dailyRemaining: z.string().min(1).optional(),
});
export type LimitHeaders = z.input<typeof LimitHeaders>;

export const Limits = z.object({
  requestsPerWindow: z.number().int().positive(),
  windowSeconds: z.number().positive(),
  concurrency: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  /**
   * Requests to the provider's batch endpoint allowed per window, on top of requestsPerWindow
   * (QuickBooks Online: 40 a minute). The host paces batch pushes by it.
   */
  batchRequestsPerWindow: z.number().int().positive().optional(),
  dailyCap: z.number().int().positive().optional(),
  limitHeaders: LimitHeaders.optional(),
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
  /** Remote field catalog per entity (contact kinds and transaction types). */
  readonly fields: FieldCatalog;
  readonly limits: Limits;
  connect(ctx: ConnectorContext<Config>): ConnectorSession | Promise<ConnectorSession>;
}

/** Entities a field catalog can describe. */
export const FieldEntity = z.enum([...ContactKind.options, ...TransactionType.options]);
export type FieldEntity = z.infer<typeof FieldEntity>;
export type FieldCatalog = { readonly [E in FieldEntity]?: readonly FieldSpec[] };

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
  fields: z.object(Object.fromEntries(FieldEntity.options.map((entity) => [entity, z.array(FieldSpec).optional()])) as Record<FieldEntity, z.ZodOptional<z.ZodArray<typeof FieldSpec>>>),
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

/**
 * Checks that an opened session has the parts its manifest's capabilities promise (and the
 * host may call): `transactions` for transaction types, `webhooks` for inbound webhooks.
 */
export function validateSession(definition: Pick<ConnectorDefinition<unknown>, 'capabilities'>, session: ConnectorSession): ManifestProblem[] {
  const capabilities = Capabilities.parse(definition.capabilities);
  const problems: ManifestProblem[] = [];
  const need = (path: string, ok: boolean, why: string) => {
    if (!ok) problems.push({ path, message: why });
  };
  need('session.tenants.list', typeof session.tenants?.list === 'function', 'must be a function');
  for (const fn of ['search', 'get', 'list', 'upsert'] as const) need(`session.contacts.${fn}`, typeof session.contacts?.[fn] === 'function', 'must be a function');
  need('session.deepLink', typeof session.deepLink === 'function', 'must be a function');
  if (capabilities.transactionTypes.length > 0) {
    const declared = `capabilities.transactionTypes lists ${capabilities.transactionTypes.join(', ')}`;
    need('session.transactions.push', typeof session.transactions?.push === 'function', `must be a function (${declared})`);
    need('session.transactions.listForContact', typeof session.transactions?.listForContact === 'function', `must be a function (${declared})`);
  }
  if (capabilities.inboundWebhooks) {
    need('session.webhooks.verify', typeof session.webhooks?.verify === 'function', 'must be a function (capabilities.inboundWebhooks is true)');
    need('session.webhooks.parse', typeof session.webhooks?.parse === 'function', 'must be a function (capabilities.inboundWebhooks is true)');
  }
  return problems;
}
