import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConnectorErrors, type ChangeEvent, type ContactKind, type VerifyResult, type WebhookRequest, type WebhooksApi } from '@ledgerlink/connector-sdk';
import { z } from 'zod';
import { envVarFor, type XeroConfig } from './config.js';

/** base64(HMAC-SHA256(webhook key, raw body)) — Xero's `x-xero-signature` (reference §6.2). */
export function xeroWebhookSignature(rawBody: string, key: string): string {
  return createHmac('sha256', key).update(rawBody, 'utf8').digest('base64');
}

const XeroWebhookEvent = z.object({
  resourceUrl: z.string().optional(),
  resourceId: z.string().min(1),
  eventDateUtc: z.string(),
  eventType: z.string(),
  eventCategory: z.string(),
  tenantId: z.string().optional(),
  tenantType: z.string().optional(),
});
const XeroWebhookPayload = z.object({
  events: z.array(z.unknown()),
  firstEventSequence: z.number().optional(),
  lastEventSequence: z.number().optional(),
  entropy: z.string().optional(),
});

/** Xero writes `eventDateUtc` without a zone ("2024-06-21T01:15:39.902"); it is UTC. */
function utc(value: string): string | undefined {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Verifies and parses Xero webhooks. A CONTACT event says nothing about the contact's role, so it
 * becomes one event per contact kind the connector offers; an INVOICE event (sales or purchase,
 * Xero does not say) becomes `invoice`; CREDITNOTE becomes `credit_note`. Other categories
 * (SUBSCRIPTION, prepayments, ...) are ignored.
 */
export function createWebhooksApi(config: Pick<XeroConfig, 'webhookKey'>, contactKinds: readonly ContactKind[]): WebhooksApi {
  return {
    verify(request: WebhookRequest): VerifyResult {
      const key = config.webhookKey;
      if (!key) return { ok: false, reason: `No Xero webhook key is configured; set ${envVarFor('webhookKey')}` };
      const given = request.headers['x-xero-signature'];
      if (!given) return { ok: false, reason: 'The request has no x-xero-signature header' };
      const expected = Buffer.from(xeroWebhookSignature(request.rawBody, key), 'utf8');
      const actual = Buffer.from(given.trim(), 'utf8');
      // Compare fixed-length digests so the comparison takes the same time whatever the header's length.
      const same = actual.length === expected.length && timingSafeEqual(actual, expected);
      return same ? { ok: true } : { ok: false, reason: 'x-xero-signature does not match the body signed with the webhook key' };
    },

    parse(request: WebhookRequest): ChangeEvent[] {
      let json: unknown;
      try {
        json = JSON.parse(request.rawBody);
      } catch {
        throw ConnectorErrors.validation('rawBody', 'The Xero webhook body is not JSON');
      }
      const payload = XeroWebhookPayload.safeParse(json);
      if (!payload.success) throw ConnectorErrors.validation('rawBody', 'The Xero webhook body has no "events" array');
      const out: ChangeEvent[] = [];
      // An Intent to Receive request has no events: nothing to do.
      for (const raw of payload.data.events) {
        const event = XeroWebhookEvent.safeParse(raw);
        if (!event.success) continue;
        const { resourceId, eventDateUtc, eventType, eventCategory, tenantId } = event.data;
        const operation = eventType.toUpperCase() === 'CREATE' ? 'create' : eventType.toUpperCase() === 'UPDATE' ? 'update' : undefined;
        const occurredAt = utc(eventDateUtc);
        if (!operation || !occurredAt) continue;
        const common = {
          id: resourceId,
          operation,
          occurredAt,
          ...(tenantId ? { tenantId } : {}),
          raw: { eventCategory, eventType, ...(event.data.resourceUrl ? { resourceUrl: event.data.resourceUrl } : {}) },
        } as const;
        switch (eventCategory.toUpperCase()) {
          case 'CONTACT':
            for (const entity of contactKinds) out.push({ entity, ...common });
            break;
          case 'INVOICE':
            out.push({ entity: 'invoice', ...common });
            break;
          case 'CREDITNOTE':
            out.push({ entity: 'credit_note', ...common });
            break;
          default:
            break;
        }
      }
      return out;
    },
  };
}
