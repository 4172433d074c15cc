import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CreatedWebhookEndpoint, CreateWebhookEndpointRequest, EventsPage, WebhookDeliveryView, WebhookEndpointView } from '@ledgerlink/contract';
import type { z } from 'zod';
import type { EventsQuery as EventsQuerySchema } from '@ledgerlink/contract';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { ApiErrors } from '../common/api-error.js';
import { randomToken } from '../common/hashing.js';
import { actorOf, type AuthContext } from '../auth/auth.context.js';
import { CryptoService } from '../crypto/crypto.service.js';

export type EventsQueryParsed = z.output<typeof EventsQuerySchema>;

/** The secret is sealed with the endpoint id as context, so it cannot be moved to another row. */
export const endpointSecretContext = (endpointId: string): string => `webhook-endpoint:${endpointId}`;

interface EndpointRow {
  readonly id: string;
  readonly url: string;
  readonly events: unknown;
  readonly enabled: boolean;
  readonly createdAt: Date;
}

const ENDPOINT_SELECT = { id: true, url: true, events: true, enabled: true, createdAt: true } as const;

function toEndpointView(row: EndpointRow): WebhookEndpointView {
  return { id: row.id, url: row.url, events: Array.isArray(row.events) ? row.events.map(String) : [], enabled: row.enabled, createdAt: row.createdAt.toISOString() };
}

/** The host app's side of hub events: the ordered feed and the webhook endpoints. */
@Injectable()
export class EventsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly crypto: CryptoService,
  ) {}

  async list(auth: AuthContext, query: EventsQueryParsed): Promise<EventsPage> {
    const after = BigInt(query.after ?? '0');
    const rows = await this.prisma.hubEvent.findMany({
      where: { workspaceId: auth.workspaceId, seq: { gt: after } },
      orderBy: { seq: 'asc' },
      take: query.limit,
    });
    const items = rows.map((row) => ({ seq: row.seq.toString(), id: row.id, type: row.type, createdAt: row.createdAt.toISOString(), data: row.payload as Record<string, unknown> }));
    return { items, next: items.at(-1)?.seq ?? query.after ?? null };
  }

  /**
   * A new endpoint receives the events from now on (not the workspace's history: the feed has
   * that). The secret is returned once and stored sealed.
   */
  async createEndpoint(auth: AuthContext, body: CreateWebhookEndpointRequest): Promise<CreatedWebhookEndpoint> {
    const id = randomUUID();
    const secret = `whsec_${randomToken(24)}`;
    const latest = await this.prisma.hubEvent.findFirst({ where: { workspaceId: auth.workspaceId }, orderBy: { seq: 'desc' }, select: { seq: true } });
    const { actorType, actorId } = actorOf(auth);
    const [row] = await this.prisma.$transaction([
      this.prisma.webhookEndpoint.create({
        data: { id, workspaceId: auth.workspaceId, url: body.url, events: body.events ?? [], secret: this.crypto.encrypt(secret, endpointSecretContext(id)), lastSeq: latest?.seq ?? 0n },
        select: ENDPOINT_SELECT,
      }),
      this.prisma.auditLog.create({ data: { workspaceId: auth.workspaceId, actorType, actorId, action: 'webhook_endpoint.created', entityType: 'webhook_endpoint', entityId: id, details: { url: body.url, events: body.events ?? [] } } }),
    ]);
    return { ...toEndpointView(row), secret };
  }

  async listEndpoints(auth: AuthContext): Promise<WebhookEndpointView[]> {
    const rows = await this.prisma.webhookEndpoint.findMany({ where: { workspaceId: auth.workspaceId }, select: ENDPOINT_SELECT, orderBy: { createdAt: 'asc' } });
    return rows.map(toEndpointView);
  }

  async deleteEndpoint(auth: AuthContext, id: string): Promise<WebhookEndpointView> {
    const row = await this.prisma.webhookEndpoint.findFirst({ where: { workspaceId: auth.workspaceId, id }, select: ENDPOINT_SELECT });
    if (!row) throw ApiErrors.notFound(`Webhook endpoint ${id}`);
    const { actorType, actorId } = actorOf(auth);
    await this.prisma.$transaction([
      this.prisma.webhookDelivery.deleteMany({ where: { workspaceId: auth.workspaceId, endpointId: id, state: 'pending' } }),
      this.prisma.webhookEndpoint.deleteMany({ where: { workspaceId: auth.workspaceId, id } }),
      this.prisma.auditLog.create({ data: { workspaceId: auth.workspaceId, actorType, actorId, action: 'webhook_endpoint.deleted', entityType: 'webhook_endpoint', entityId: id, details: { url: row.url } } }),
    ]);
    return toEndpointView({ ...row, enabled: false });
  }

  async deliveries(auth: AuthContext, endpointId: string): Promise<WebhookDeliveryView[]> {
    const endpoint = await this.prisma.webhookEndpoint.findFirst({ where: { workspaceId: auth.workspaceId, id: endpointId }, select: { id: true } });
    if (!endpoint) throw ApiErrors.notFound(`Webhook endpoint ${endpointId}`);
    const rows = await this.prisma.webhookDelivery.findMany({ where: { workspaceId: auth.workspaceId, endpointId }, orderBy: { createdAt: 'desc' }, take: 100 });
    return rows.map((row) => ({
      id: row.id, eventId: row.eventId, eventType: row.eventType, state: row.state as WebhookDeliveryView['state'], attempts: row.attempts, lastStatus: row.lastStatus,
      lastError: row.lastError, nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null, deliveredAt: row.deliveredAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString(),
    }));
  }
}

