import { Inject, Injectable } from '@nestjs/common';
import type { Connection, CreateConnectionResponse } from '@ledgerlink/contract';
import { connectorEnvPrefix, type Credentials, type OAuthExchangeResult } from '@ledgerlink/connector-sdk';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../app/tokens.js';
import { ApiErrors } from '../common/api-error.js';
import { randomToken, sha256Hex } from '../common/hashing.js';
import { JsonLogger } from '../common/json-logger.js';
import { actorOf, type AuthContext } from '../auth/auth.context.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { ConnectionsRepository } from './connections.repository.js';
import { PullService } from '../pull/pull.service.js';
import { InboundService } from '../inbound/inbound.service.js';
import { type OAuthOutcome, toConnectionView } from './connections.dto.js';

export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

@Injectable()
export class ConnectionsService {
  constructor(
    private readonly repository: ConnectionsRepository,
    private readonly registry: ConnectorRegistry,
    private readonly crypto: CryptoService,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pulls: PullService,
    private readonly inbound: InboundService,
  ) {}

  get consoleUrl(): string {
    return this.config.consoleUrl;
  }

  get redirectUri(): string {
    return `${this.config.publicUrl}/api/v1/oauth/callback`;
  }

  async list(auth: AuthContext): Promise<Connection[]> {
    return (await this.repository.list(auth.workspaceId)).map(toConnectionView);
  }

  /**
   * Pauses or resumes a connection. Paused: no schedule, sync, upload, pull or CRM write runs on
   * it and inbound webhooks are stored but held; resuming queues the held webhooks again.
   */
  async setEnabled(auth: AuthContext, connectionId: string, enabled: boolean): Promise<Connection> {
    await this.existing(auth, connectionId);
    const { actorType, actorId } = actorOf(auth);
    const row = await this.repository.setEnabled(auth.workspaceId, connectionId, enabled, { type: actorType, id: actorId });
    if (!row) throw ApiErrors.notFound(`Connection ${connectionId}`);
    if (enabled) {
      const resumed = await this.inbound.resumeConnection(auth.workspaceId, connectionId);
      if (resumed > 0) this.logger.info('held webhooks queued again', { connectionId, events: resumed });
    }
    return toConnectionView(row);
  }

  /**
   * Disconnects: asks the provider to revoke the tokens, then erases them whatever the provider
   * answered (the reason says when revoking failed, so a person can revoke at the provider).
   * Links, mappings and history stay; reconnecting in place (createConnection with connectionId)
   * picks them up again.
   */
  async disconnect(auth: AuthContext, connectionId: string): Promise<Connection> {
    const connection = await this.existing(auth, connectionId);
    const connector = this.registry.find(connection.connectorId);
    const name = connector?.definition.displayName ?? connection.connectorId;
    const sealed = await this.repository.credentials(auth.workspaceId, connectionId);
    let revoked = false;
    let reason = `Disconnected by ${auth.name || auth.email} on ${new Date().toISOString().slice(0, 10)}: reconnect to sync again.`;
    if (sealed && connector && connector.definition.auth.type === 'oauth2' && connector.definition.auth.revoke) {
      try {
        const credentials = this.crypto.decryptJson<Credentials>(sealed, connectionId);
        await connector.definition.auth.revoke({ config: connector.config, credentials });
        revoked = true;
      } catch (error) {
        this.logger.warn('token revocation failed on disconnect', { connector: connection.connectorId, connectionId, error: (error as Error).message });
        reason = `Disconnected, but ${name} did not confirm revoking access (${(error as Error).message}): remove Ledgerlink from ${name}'s connected apps to be sure.`;
      }
    }
    const { actorType, actorId } = actorOf(auth);
    const row = await this.repository.markDisconnected(auth.workspaceId, connectionId, { reason, revoked, actor: { type: actorType, id: actorId } });
    if (!row) throw ApiErrors.notFound(`Connection ${connectionId}`);
    this.logger.info('connection disconnected', { connector: connection.connectorId, connectionId, revoked });
    return toConnectionView(row);
  }

  private async existing(auth: AuthContext, connectionId: string) {
    const connection = await this.repository.find(auth.workspaceId, connectionId);
    if (!connection) throw ApiErrors.notFound(`Connection ${connectionId}`);
    return connection;
  }

  /**
   * Starts connecting: a pending connection (or, with `reconnectId`, the existing one) and a
   * one-time state bound to this user's session.
   */
  async create(auth: AuthContext, connectorId: string, reconnectId?: string): Promise<CreateConnectionResponse> {
    const connector = this.registry.find(connectorId);
    if (!connector) {
      const installed = this.registry.list().map((c) => c.definition.id);
      throw ApiErrors.invalid(`No connector "${connectorId}" is installed.`, [
        { path: 'connectorId', message: installed.length > 0 ? `is not installed: use one of ${installed.join(', ')}` : 'is not installed: no connectors are installed' },
      ]);
    }
    const { definition } = connector;
    if (!connector.configured) {
      throw ApiErrors.conflict(
        `${definition.displayName} is not configured on this server: set its ${connectorEnvPrefix(definition.id)}* variables (client id and secret) and restart.`,
      );
    }
    if (definition.auth.type !== 'oauth2') {
      throw ApiErrors.invalid(`${definition.displayName} connects with an API key, which this version does not support yet.`, [
        { path: 'connectorId', message: 'uses API-key authentication, not supported yet' },
      ]);
    }
    const state = randomToken();
    if (reconnectId !== undefined) {
      const existing = await this.repository.find(auth.workspaceId, reconnectId);
      if (!existing) throw ApiErrors.notFound(`Connection ${reconnectId}`);
      if (existing.connectorId !== definition.id) {
        throw ApiErrors.invalid(`Connection ${reconnectId} is a ${existing.connectorId} connection, not ${definition.id}.`, [
          { path: 'connectorId', message: `must be ${existing.connectorId} to reconnect this connection` },
        ]);
      }
      await this.repository.prepareReconnect({
        workspaceId: auth.workspaceId, connectionId: existing.id, stateHash: sha256Hex(state), userId: auth.userId, expiresAt: new Date(Date.now() + OAUTH_STATE_TTL_MS),
      });
      const authorizeUrl = await definition.auth.authorizeUrl({ config: connector.config, state, redirectUri: this.redirectUri });
      return { connectionId: existing.id, authorizeUrl };
    }
    const row = await this.repository.createPending({
      workspaceId: auth.workspaceId,
      connectorId: definition.id,
      displayName: definition.displayName,
      stateHash: sha256Hex(state),
      userId: auth.userId,
      expiresAt: new Date(Date.now() + OAUTH_STATE_TTL_MS),
    });
    const authorizeUrl = await definition.auth.authorizeUrl({ config: connector.config, state, redirectUri: this.redirectUri });
    return { connectionId: row.id, authorizeUrl };
  }

  /**
   * The provider sent the person back. Verifies the state (known, unused, unexpired, same user),
   * exchanges the code, stores the encrypted credentials and the tenant. Expected failures come
   * back as values with a reason a person can act on.
   */
  async completeOAuth(callbackUrl: string, session: AuthContext | null): Promise<OAuthOutcome> {
    const url = new URL(callbackUrl);
    const state = url.searchParams.get('state');
    if (!state) return fail('The reply from the provider had no state, so it cannot be matched to a connection: start connecting again from Integrations.');
    const stateHash = sha256Hex(state);
    const pending = await this.repository.findOAuthState(stateHash);
    if (!pending) return fail('This sign-in reply was already used or is not known: start connecting again from Integrations.');
    if (!session || session.userId !== pending.userId || session.workspaceId !== pending.workspaceId) {
      return fail('This sign-in was started from another Ledgerlink session: sign in as the person who started connecting and try again.');
    }
    if (!(await this.repository.consumeOAuthState(pending.connectionId, stateHash))) {
      return fail('This sign-in reply was already used: start connecting again from Integrations.');
    }
    const connector = this.registry.find(pending.connectorId);
    const name = connector?.definition.displayName ?? pending.connectorId;
    const failed = async (reason: string): Promise<OAuthOutcome> => {
      await this.repository.markFailed(pending.workspaceId, pending.connectionId, reason);
      return fail(reason);
    };
    if (!pending.expiresAt || pending.expiresAt.getTime() < Date.now()) {
      return failed(`The ${name} sign-in took longer than ${OAUTH_STATE_TTL_MS / 60000} minutes: start connecting again.`);
    }
    const providerError = url.searchParams.get('error');
    if (providerError) {
      const detail = url.searchParams.get('error_description') ?? providerError;
      return failed(`${name} did not grant access (${detail}): try connecting again and approve the request.`);
    }
    if (!connector || connector.definition.auth.type !== 'oauth2') return failed(`The connector "${pending.connectorId}" is not installed any more.`);

    let result: OAuthExchangeResult;
    try {
      result = await connector.definition.auth.exchange({ config: connector.config, redirectUri: this.redirectUri, callbackUrl });
    } catch (error) {
      this.logger.warn('oauth exchange failed', { connector: connector.definition.id, connectionId: pending.connectionId, error: (error as Error).message });
      return failed(`${name} did not accept the sign-in (${(error as Error).message}): try connecting again.`);
    }
    const tenant = result.tenants[0];
    if (!tenant) return failed(`${name} did not say which company was chosen: try connecting again and pick a company.`);
    if (pending.tenantId !== null && pending.tenantId !== tenant.id) {
      // Reconnecting must not silently point existing links at another company's records.
      if (connector.definition.auth.revoke) await connector.definition.auth.revoke({ config: connector.config, credentials: result.credentials }).catch(() => undefined);
      return failed(
        `This connection is for ${pending.tenantName ?? pending.tenantId}, but ${tenant.name} was chosen: reconnect and choose ${pending.tenantName ?? pending.tenantId}, or connect ${tenant.name} as a new connection.`,
      );
    }
    await this.repository.markConnected({
      workspaceId: pending.workspaceId,
      connectionId: pending.connectionId,
      tenantId: tenant.id,
      tenantName: tenant.name,
      sealedCredentials: this.crypto.encryptJson(result.credentials, pending.connectionId),
      userId: session.userId,
      connectorId: connector.definition.id,
    });
    this.logger.info('connection connected', { connector: connector.definition.id, connectionId: pending.connectionId, tenantId: tenant.id });
    // Fill the mirror of remote contacts in the background (for link search and matching).
    await this.pulls.enqueue(pending.workspaceId, pending.connectionId, 'connect').catch((error: unknown) => {
      this.logger.warn('could not start the first pull', { connectionId: pending.connectionId, error: (error as Error).message });
    });
    return { ok: true, connectionId: pending.connectionId };
  }
}

function fail(reason: string): OAuthOutcome {
  return { ok: false, reason };
}
