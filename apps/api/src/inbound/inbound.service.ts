import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { type ChangeEvent, type Clock, ConnectorErrors, type WebhookRequest, type WebhooksApi } from '@ledgerlink/connector-sdk';
import type { WebhookReceipt } from '@ledgerlink/contract';
import { ApiErrors } from '../common/api-error.js';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { createHostHttpClient } from '../connector-host/http-client.js';
import { QUEUES } from '../queue/queues.js';
import { APPLY_INBOUND_ATTEMPTS, APPLY_INBOUND_EVENT, type ApplyInboundEventPayload } from './inbound-jobs.js';
import { InboundRepository, type InboundRow } from './inbound.repository.js';

const systemClock: Clock = { now: () => new Date() };

/** The provider's event id when it sent one, else entity:id:operation:occurredAt. */
export function dedupeKeyOf(event: ChangeEvent): string {
  const eventId = event.raw?.eventId;
  return eventId ? `event:${eventId}` : `${event.entity}:${event.id}:${event.operation}:${event.occurredAt}`;
}

/**
 * Receives a provider's webhook delivery: the connector checks the signature on the raw body
 * (with a session built from the connector's configuration only: no connection credentials are
 * needed), parses the change events, stores each once per connection of the tenant it names as an
 * InboundEvent (de-duplicated on connectorId + dedupeKey) and queues it for processing.
 */
@Injectable()
export class InboundService {
  private readonly webhookApis = new Map<string, WebhooksApi | null>();

  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly repository: InboundRepository,
    private readonly logger: JsonLogger,
    @InjectQueue(QUEUES.inbound) private readonly queue: Queue,
  ) {}

  async receive(connectorId: string, request: WebhookRequest): Promise<WebhookReceipt> {
    const webhooks = await this.webhooksOf(connectorId);
    const verdict = webhooks.verify(request);
    const result = typeof verdict === 'boolean' ? { ok: verdict } : verdict;
    if (!result.ok) {
      const reason = result.reason ?? 'the signature does not match the body';
      this.logger.warn('webhook refused', { connectorId, reason });
      throw ApiErrors.unauthorized(`The ${connectorId} webhook was refused: ${reason}.`);
    }
    let events: ChangeEvent[];
    try {
      events = webhooks.parse(request);
    } catch (error) {
      throw ApiErrors.invalid(`The ${connectorId} webhook body could not be read: ${(error as Error).message}`);
    }
    let stored = 0;
    let duplicates = 0;
    for (const event of events) {
      const base = dedupeKeyOf(event);
      const targets = event.tenantId ? await this.repository.connectionsOfTenant(connectorId, event.tenantId) : [];
      if (targets.length === 0) {
        const reason = event.tenantId ? `no connection of ${connectorId} is connected to tenant ${event.tenantId}` : 'the event names no tenant';
        if (await this.repository.store(connectorId, base, event, null, reason)) stored += 1;
        else duplicates += 1;
        continue;
      }
      for (const [index, target] of targets.entries()) {
        // One row per connection: the first keeps the plain key, further connections of the same tenant add their id.
        const key = index === 0 ? base : `${base}@${target.id}`;
        const row = await this.repository.store(connectorId, key, event, { workspaceId: target.workspaceId, connectionId: target.id });
        if (row) {
          stored += 1;
          await this.enqueue(row);
        } else {
          duplicates += 1;
        }
      }
    }
    this.logger.info('webhook received', { connectorId, events: events.length, stored, duplicates });
    return { events: events.length, stored, duplicates };
  }

  /**
   * Queues again the events held while the connection was paused (a new job id: the first job
   * finished). The runner applies an event only while it is still received, so a second job for
   * the same event does nothing.
   */
  async resumeConnection(workspaceId: string, connectionId: string): Promise<number> {
    const waiting = await this.repository.waiting(workspaceId, connectionId);
    const round = Date.now().toString(36);
    for (const row of waiting) await this.enqueue(row, `inbound:${row.id}:resume:${round}`);
    return waiting.length;
  }

  private async enqueue(row: InboundRow, jobId = `inbound:${row.id}`): Promise<void> {
    const payload: ApplyInboundEventPayload = { inboundEventId: row.id };
    try {
      await this.queue.add(APPLY_INBOUND_EVENT, payload, {
        jobId,
        attempts: APPLY_INBOUND_ATTEMPTS,
        backoff: { type: 'connector' },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      });
    } catch (error) {
      // The row stays `received`; processing it needs the queue, so the provider should retry later.
      this.logger.error('could not enqueue an inbound event', { inboundEventId: row.id, error: (error as Error).message });
      throw ApiErrors.unavailable('The job queue (Redis) is not answering: deliver the webhook again later.');
    }
  }

  /** The connector's webhook API, from a session built with its configuration alone. */
  private async webhooksOf(connectorId: string): Promise<WebhooksApi> {
    const cached = this.webhookApis.get(connectorId);
    if (cached) return cached;
    const connector = this.registry.find(connectorId);
    if (!connector) throw ApiErrors.notFound(`Connector ${connectorId}`);
    const logger = this.logger.child({ connector: connectorId, purpose: 'webhook' });
    const noCredentials = (): never => {
      throw ConnectorErrors.authRevoked('Webhook verification runs without a connection: no credentials are available.');
    };
    const session = await connector.definition.connect({
      config: connector.config,
      tenantId: '',
      credentials: noCredentials,
      http: createHostHttpClient({ credentials: { current: noCredentials, refresh: () => Promise.resolve(noCredentials()) }, logger, clock: systemClock, providerName: connector.definition.displayName }),
      logger,
      clock: systemClock,
    });
    if (!session.webhooks) throw ApiErrors.notFound(`Webhooks for connector ${connectorId}`);
    this.webhookApis.set(connectorId, session.webhooks);
    return session.webhooks;
  }
}
