import { Injectable, Optional } from '@nestjs/common';
import { type Clock, type ConnectorSession, ConnectorErrors, type Credentials, isConnectorError } from '@ledgerlink/connector-sdk';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectorRegistry, type LoadedConnector } from '../connectors/connector-registry.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { ConnectorHostRepository, type HostConnection } from './connector-host.repository.js';
import { createHostHttpClient, type CredentialSource, expiresSoon } from './http-client.js';
import { type HeldLock, RedisStore } from '../queue/redis-store.service.js';

/** How long one refresh may hold the per-connection lock (it is released as soon as it is done). */
const REFRESH_LOCK_MS = 30_000;
const LOCK_POLL_MS = 100;

/** A connection ready to use: its row, its connector and a live session. */
export interface OpenConnection {
  readonly connection: HostConnection;
  readonly connector: LoadedConnector;
  readonly session: ConnectorSession;
}

/** The connection cannot be used until a person acts (reconnect, configure, reinstall). */
export class ConnectionUnusableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionUnusableError';
  }
}

/** The connection is paused by a person: work waits (or is refused) until it is enabled again. */
export class ConnectionPausedError extends ConnectionUnusableError {
  constructor(displayName: string) {
    super(`The ${displayName} connection is paused: enable it in Integrations to resume.`);
    this.name = 'ConnectionPausedError';
  }
}

const systemClock: Clock = { now: () => new Date() };

/**
 * Hands connectors their host services (HTTP with auth, logger, clock, credentials) and keeps
 * credentials fresh: a refresh is single-flight per connection in this process and, across API
 * and worker processes, runs under a Redis lock per connection (`SET NX PX`); whoever gets the
 * lock re-reads the stored credentials first, so a refresh token is spent once. The rotated
 * credentials are always persisted, encrypted, before they are used.
 */
@Injectable()
export class ConnectorHostService {
  private readonly refreshes = new Map<string, Promise<Credentials>>();

  constructor(
    private readonly repository: ConnectorHostRepository,
    private readonly registry: ConnectorRegistry,
    private readonly crypto: CryptoService,
    private readonly logger: JsonLogger,
    /** Absent only in tests that run one host alone; then the refresh is single-flight in this process only. */
    @Optional() private readonly locks?: RedisStore,
  ) {}

  /** Opens a session on a connected connection of the workspace. */
  async open(workspaceId: string, connectionId: string): Promise<OpenConnection> {
    const connection = await this.repository.findConnection(workspaceId, connectionId);
    if (!connection) throw new ConnectionUnusableError('The connection no longer exists.');
    return this.openFor(connection, { requireConnected: true });
  }

  /**
   * Sessions for showing links (deep links need config and tenant, not a live token). Connections
   * whose connector is gone are left out.
   */
  async openForDisplay(workspaceId: string, connectionIds: readonly string[]): Promise<Map<string, OpenConnection>> {
    const result = new Map<string, OpenConnection>();
    if (connectionIds.length === 0) return result;
    for (const connection of await this.repository.findConnections(workspaceId, connectionIds)) {
      try {
        result.set(connection.id, await this.openFor(connection, { requireConnected: false }));
      } catch (error) {
        this.logger.debug('connection not opened for display', { connectionId: connection.id, error: (error as Error).message });
      }
    }
    return result;
  }

  private async openFor(connection: HostConnection, options: { readonly requireConnected: boolean }): Promise<OpenConnection> {
    const connector = this.registry.find(connection.connectorId);
    if (!connector) throw new ConnectionUnusableError(`The connector "${connection.connectorId}" is not installed any more: reinstall it or remove the connection.`);
    if (!connector.configured) {
      throw new ConnectionUnusableError(`${connector.definition.displayName} is not configured on this server: set its LEDGERLINK_CONNECTOR_* variables.`);
    }
    if (options.requireConnected && connection.status !== 'connected') {
      throw new ConnectionUnusableError(`The ${connector.definition.displayName} connection is ${connection.status.replace('_', ' ')}: reconnect it from Integrations.`);
    }
    if (options.requireConnected && !connection.enabled) throw new ConnectionPausedError(connector.definition.displayName);
    if (!connection.tenantId) throw new ConnectionUnusableError(`The ${connector.definition.displayName} connection has no company chosen yet: finish connecting it.`);
    const logger = this.logger.child({ connector: connector.definition.id, connectionId: connection.id });
    let current: Credentials | null = null;
    const source: CredentialSource = {
      current: () => {
        if (!current) {
          if (!connection.credentials) throw ConnectorErrors.authRevoked(`The ${connector.definition.displayName} connection has no credentials: reconnect it.`);
          current = this.crypto.decryptJson<Credentials>(connection.credentials, connection.id);
        }
        return current;
      },
      refresh: async (used) => {
        current = await this.refresh(connection, connector, used);
        return current;
      },
    };
    const http = createHostHttpClient({ credentials: source, logger, clock: systemClock, providerName: connector.definition.displayName });
    const session = await connector.definition.connect({
      config: connector.config,
      tenantId: connection.tenantId,
      credentials: () => source.current(),
      http,
      logger,
      clock: systemClock,
    });
    return { connection, connector, session };
  }

  private refresh(connection: HostConnection, connector: LoadedConnector, used: Credentials): Promise<Credentials> {
    let flight = this.refreshes.get(connection.id);
    if (!flight) {
      flight = this.refreshNow(connection, connector, used).finally(() => this.refreshes.delete(connection.id));
      this.refreshes.set(connection.id, flight);
    }
    return flight;
  }

  /** Waits for the connection's refresh lock; resolves early with credentials another process stored meanwhile. */
  private async acquireRefreshLock(connection: HostConnection, used: Credentials): Promise<HeldLock | Credentials> {
    const locks = this.locks;
    if (!locks) return { release: () => Promise.resolve() };
    const deadline = Date.now() + REFRESH_LOCK_MS + 5_000;
    for (;;) {
      const lock = await locks.tryLock(`refresh-lock:${connection.id}`, REFRESH_LOCK_MS);
      if (lock) return lock;
      const fresh = await this.storedIfNewer(connection, used);
      if (fresh) return fresh;
      if (Date.now() > deadline) throw ConnectorErrors.transient('Another Ledgerlink process is refreshing this connection\'s sign-in and has not finished: try again shortly.');
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }

  /** The stored credentials when they are not the ones that were used and not about to expire. */
  private async storedIfNewer(connection: HostConnection, used: Credentials): Promise<Credentials | null> {
    const row = await this.repository.findConnection(connection.workspaceId, connection.id);
    if (!row?.credentials) return null;
    const stored = this.crypto.decryptJson<Credentials>(row.credentials, connection.id);
    return stored.accessToken !== used.accessToken && !expiresSoon(stored, systemClock.now()) ? stored : null;
  }

  private async refreshNow(connection: HostConnection, connector: LoadedConnector, used: Credentials): Promise<Credentials> {
    const held = await this.acquireRefreshLock(connection, used);
    if (!('release' in held)) return held;
    try {
      return await this.refreshLocked(connection, connector, used);
    } finally {
      await held.release().catch((error: unknown) => this.logger.warn('could not release the refresh lock', { connectionId: connection.id, error: (error as Error).message }));
    }
  }

  private async refreshLocked(connection: HostConnection, connector: LoadedConnector, used: Credentials): Promise<Credentials> {
    const name = connector.definition.displayName;
    const row = await this.repository.findConnection(connection.workspaceId, connection.id);
    if (!row?.credentials) throw ConnectorErrors.authRevoked(`The ${name} connection has no credentials: reconnect it.`);
    const stored = this.crypto.decryptJson<Credentials>(row.credentials, connection.id);
    // Another worker already refreshed: use its tokens instead of spending the refresh token again.
    if (stored.accessToken !== used.accessToken && !expiresSoon(stored, systemClock.now())) return stored;
    const auth = connector.definition.auth;
    if (auth.type !== 'oauth2') throw ConnectorErrors.authRevoked(`${name} refused the API key: update it by reconnecting.`);
    let fresh: Credentials;
    try {
      fresh = await auth.refresh({ config: connector.config, credentials: stored });
    } catch (error) {
      // invalid_grant and revoked consent arrive as auth_revoked: a person must reconnect.
      if (isConnectorError(error) && (error.kind === 'auth_revoked' || error.kind === 'auth_expired')) {
        const reason = `${name} no longer accepts this connection's sign-in (${error.message}): reconnect it from Integrations.`;
        await this.repository.markNeedsReauth(connection.workspaceId, connection.id, reason);
        throw ConnectorErrors.authRevoked(reason, error.providerCode ? { providerCode: error.providerCode } : {});
      }
      throw error;
    }
    const next: Credentials = { ...stored, ...fresh, ...(fresh.refreshToken || !stored.refreshToken ? {} : { refreshToken: stored.refreshToken }) };
    await this.repository.saveCredentials(connection.workspaceId, connection.id, this.crypto.encryptJson(next, connection.id));
    this.logger.info('credentials refreshed and stored', {
      connector: connector.definition.id,
      connectionId: connection.id,
      refreshTokenRotated: next.refreshToken !== stored.refreshToken,
      expiresAt: next.expiresAt,
    });
    return next;
  }
}
