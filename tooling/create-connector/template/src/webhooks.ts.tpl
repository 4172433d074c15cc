import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChangeEvent, ChangeOperation, VerifyResult, WebhookRequest, WebhooksApi } from '@ledgerlink/connector-sdk';
import { VendorWebhook } from './vendor/contact.schema.js';

/** The header __DISPLAY_NAME__ signs webhooks in: hex HMAC-SHA256 of the raw body with the shared secret. */
export const SIGNATURE_HEADER = 'x-signature-sha256';

export function signature(secret: string, rawBody: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

const OPERATION = { 'contact.created': 'create', 'contact.updated': 'update', 'contact.deleted': 'delete', 'contact.merged': 'merge' } as const satisfies Record<string, ChangeOperation>;

export function createWebhooks(secret: string | undefined): WebhooksApi {
  return {
    verify(request: WebhookRequest): VerifyResult {
      if (!secret) return { ok: false, reason: 'no webhookSecret is configured' };
      const sent = request.headers[SIGNATURE_HEADER];
      if (!sent) return { ok: false, reason: `the ${SIGNATURE_HEADER} header is missing` };
      const expected = Buffer.from(signature(secret, request.rawBody), 'hex');
      const given = Buffer.from(sent, 'hex');
      return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'the signature does not match the body' };
    },
    parse(request: WebhookRequest): ChangeEvent[] {
      let json: unknown;
      try {
        json = JSON.parse(request.rawBody);
      } catch {
        return [];
      }
      const parsed = VendorWebhook.safeParse(json);
      if (!parsed.success) return [];
      return parsed.data.events.map((event) => ({
        entity: event.kind,
        id: event.id,
        operation: OPERATION[event.type],
        ...(event.survivorId ? { survivorId: event.survivorId } : {}),
        occurredAt: event.at,
        tenantId: event.tenantId,
        raw: { eventId: event.eventId, type: event.type },
      }));
    },
  };
}
