/**
 * Typed connector failures. Connectors throw (or return per item) these; the host decides what
 * to do from `kind` alone: retry later, ask for re-authorisation, show a field error, adopt an
 * existing remote record, follow a merge, or look the record up before retrying.
 */

export type ConnectorErrorKind =
  | 'rate_limited'
  | 'auth_expired'
  | 'auth_revoked'
  | 'validation'
  | 'duplicate'
  | 'stale'
  | 'remote_inactive'
  | 'not_found'
  | 'transient'
  | 'uncertain';

export interface ConnectorErrorData {
  readonly kind: ConnectorErrorKind;
  readonly message: string;
  /** Seconds to wait before retrying (rate_limited). */
  readonly retryAfterSeconds?: number;
  /** Canonical or remote field at fault (validation). */
  readonly field?: string;
  /** Existing remote record that caused a duplicate. */
  readonly existingRemoteId?: string;
  /** Why a remote record can't be used (remote_inactive). */
  readonly reason?: 'merged' | 'inactive' | 'archived' | 'deleted';
  /** Where a merged record went (remote_inactive, reason merged). */
  readonly survivorId?: string;
  /** The provider's own code (e.g. QBO "6240"), for support. */
  readonly providerCode?: string;
}

export class ConnectorError extends Error implements ConnectorErrorData {
  readonly kind: ConnectorErrorKind;
  readonly retryAfterSeconds?: number;
  readonly field?: string;
  readonly existingRemoteId?: string;
  readonly reason?: 'merged' | 'inactive' | 'archived' | 'deleted';
  readonly survivorId?: string;
  readonly providerCode?: string;

  constructor(data: ConnectorErrorData, options?: { cause?: unknown }) {
    super(data.message, options);
    this.name = 'ConnectorError';
    this.kind = data.kind;
    if (data.retryAfterSeconds !== undefined) this.retryAfterSeconds = data.retryAfterSeconds;
    if (data.field !== undefined) this.field = data.field;
    if (data.existingRemoteId !== undefined) this.existingRemoteId = data.existingRemoteId;
    if (data.reason !== undefined) this.reason = data.reason;
    if (data.survivorId !== undefined) this.survivorId = data.survivorId;
    if (data.providerCode !== undefined) this.providerCode = data.providerCode;
  }

  /** A plain object safe to persist or send over the wire. */
  toJSON(): ConnectorErrorData {
    const { kind, message, retryAfterSeconds, field, existingRemoteId, reason, survivorId, providerCode } = this;
    return stripUndefined({ kind, message, retryAfterSeconds, field, existingRemoteId, reason, survivorId, providerCode }) as unknown as ConnectorErrorData;
  }

  /** Whether trying the same call again later can succeed without a person acting. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient' || this.kind === 'auth_expired';
  }
}

type Extra = Partial<Omit<ConnectorErrorData, 'kind' | 'message'>>;

export const ConnectorErrors = {
  rateLimited: (message: string, retryAfterSeconds: number, extra?: Extra) =>
    new ConnectorError({ kind: 'rate_limited', message, retryAfterSeconds, ...extra }),
  authExpired: (message: string, extra?: Extra) => new ConnectorError({ kind: 'auth_expired', message, ...extra }),
  authRevoked: (message: string, extra?: Extra) => new ConnectorError({ kind: 'auth_revoked', message, ...extra }),
  validation: (field: string, message: string, extra?: Extra) => new ConnectorError({ kind: 'validation', field, message, ...extra }),
  duplicate: (existingRemoteId: string | undefined, message: string, extra?: Extra) =>
    new ConnectorError({ kind: 'duplicate', message, ...(existingRemoteId ? { existingRemoteId } : {}), ...extra }),
  stale: (message: string, extra?: Extra) => new ConnectorError({ kind: 'stale', message, ...extra }),
  remoteInactive: (reason: 'merged' | 'inactive' | 'archived' | 'deleted', message: string, survivorId?: string, extra?: Extra) =>
    new ConnectorError({ kind: 'remote_inactive', reason, message, ...(survivorId ? { survivorId } : {}), ...extra }),
  notFound: (message: string, extra?: Extra) => new ConnectorError({ kind: 'not_found', message, ...extra }),
  transient: (message: string, extra?: Extra) => new ConnectorError({ kind: 'transient', message, ...extra }),
  uncertain: (message: string, extra?: Extra) => new ConnectorError({ kind: 'uncertain', message, ...extra }),
};

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError || (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'ConnectorError' && typeof (value as { kind?: unknown }).kind === 'string');
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
