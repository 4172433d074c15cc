/** Host services handed to a connector. A connector never imports the host; it uses these. */

export interface Credentials {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** ISO timestamp when the access token stops working. */
  readonly expiresAt?: string;
  /** ISO timestamp when the refresh token stops working. */
  readonly refreshTokenExpiresAt?: string;
  readonly scope?: string;
  /** Provider-specific values the connector needs later (never logged). */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface Tenant {
  /** QBO realmId, Xero tenantId, HubSpot portal id. */
  readonly id: string;
  readonly name: string;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value (sent as application/json) or a string sent as is. */
  readonly body?: unknown;
  /** Whether the host adds the connection's bearer token (default true). */
  readonly authenticated?: boolean;
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the response was JSON, otherwise the text. */
  readonly body: unknown;
  readonly text: string;
}

/**
 * HTTP through the host: applies authentication (refreshing the token when needed), the shared
 * per-tenant rate budget and time-outs. It resolves for every HTTP status; connectors map
 * statuses to typed errors. It rejects with a ConnectorError of kind `transient` when nothing
 * reached the provider, and `uncertain` when a write may have reached it but no answer came.
 */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
}

/**
 * Durable opaque strings per stream (e.g. "contacts:customer", "webhooks:cursor"), kept by the
 * host per connection. A connector stores where an incremental read or a feed got to, so a
 * restarted worker continues from there. Values are opaque to the host; keep them small (< 8 KB).
 */
export interface CheckpointStore {
  get(stream: string): Promise<string | undefined>;
  set(stream: string, value: string): Promise<void>;
}

export interface ConnectorContext<Config> {
  readonly config: Config;
  /** The remote tenant this session acts on. */
  readonly tenantId: string;
  /** The connection's current credentials (the host keeps them fresh). */
  readonly credentials: () => Credentials;
  readonly http: HttpClient;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Durable checkpoints per stream (SDK 0.1: optional; hosts should pass it). */
  readonly checkpoints?: CheckpointStore;
}
