import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChangeEvent, ChangeOperation, Clock, VerifyResult, WebhookRequest, WebhooksApi } from '@ledgerlink/connector-sdk';
import { z } from 'zod';

/** HubSpot's v3 signature: base64(HMAC-SHA256(secret, method + uri + body + timestamp)). */
export function signatureV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

/**
 * Checks `X-HubSpot-Signature-v3` over the raw body, in constant time, and refuses a request whose
 * `X-HubSpot-Request-Timestamp` (epoch ms) is more than `maxAgeSeconds` old (HubSpot: 5 minutes)
 * or from the future by more than that. HubSpot signs the URL it called, percent-decoded.
 */
export function verifyV3(request: WebhookRequest, secret: string, clock: Clock, maxAgeSeconds: number): VerifyResult {
  const signature = request.headers['x-hubspot-signature-v3'];
  const timestamp = request.headers['x-hubspot-request-timestamp'];
  if (!signature) return { ok: false, reason: 'no X-HubSpot-Signature-v3 header' };
  if (!timestamp || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'no valid X-HubSpot-Request-Timestamp header' };
  const age = Math.abs(clock.now().getTime() - Number(timestamp));
  if (age > maxAgeSeconds * 1000) return { ok: false, reason: `the request timestamp is ${Math.round(age / 1000)} s away from now (at most ${maxAgeSeconds} s allowed)` };
  // HubSpot delivers webhooks with POST.
  const expected = Buffer.from(signatureV3(secret, 'POST', decodeUri(request.url), request.rawBody, timestamp), 'base64');
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the signature does not match the body, URL and timestamp' };
  return { ok: true };
}

/** HubSpot decodes these characters of the URI before signing (validating-requests guide). */
function decodeUri(url: string): string {
  const pairs: Record<string, string> = { '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';' };
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => pairs[m.toUpperCase()] ?? m);
}

const HubspotEvent = z.looseObject({
  eventId: z.union([z.number(), z.string()]).optional(),
  subscriptionType: z.string(),
  portalId: z.union([z.number(), z.string()]).optional(),
  occurredAt: z.union([z.number(), z.string()]),
  objectId: z.union([z.number(), z.string()]),
  propertyName: z.string().optional(),
  changeSource: z.string().optional(),
  primaryObjectId: z.union([z.number(), z.string()]).optional(),
  mergedObjectIds: z.array(z.union([z.number(), z.string()])).optional(),
});

const OPERATIONS: Readonly<Record<string, ChangeOperation>> = {
  'contact.creation': 'create',
  'contact.propertyChange': 'update',
  'contact.deletion': 'archive',
  'contact.privacyDeletion': 'delete',
  'contact.restore': 'update',
};

/**
 * HubSpot's event array → ChangeEvents about customers. A `contact.merge` becomes one `merge` event
 * per contact merged away (each `mergedObjectIds` entry other than the primary), naming the primary
 * as the survivor. Company and other events are left out; a body that is not HubSpot's array is [].
 */
export function parseEvents(rawBody: string): ChangeEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return [];
  }
  const parsed = z.array(z.unknown()).safeParse(json);
  if (!parsed.success) return [];
  const out: ChangeEvent[] = [];
  for (const item of parsed.data) {
    const event = HubspotEvent.safeParse(item);
    if (!event.success) continue;
    const e = event.data;
    const occurredMs = typeof e.occurredAt === 'number' ? e.occurredAt : /^\d+$/.test(e.occurredAt) ? Number(e.occurredAt) : Date.parse(e.occurredAt);
    if (!Number.isFinite(occurredMs)) continue;
    const raw: Record<string, string> = { subscriptionType: e.subscriptionType, ...(e.eventId !== undefined ? { eventId: String(e.eventId) } : {}), ...(e.propertyName ? { propertyName: e.propertyName } : {}), ...(e.changeSource ? { changeSource: e.changeSource } : {}) };
    const base = { entity: 'customer' as const, occurredAt: new Date(occurredMs).toISOString(), ...(e.portalId !== undefined ? { tenantId: String(e.portalId) } : {}), raw };
    if (e.subscriptionType === 'contact.merge') {
      const survivor = String(e.primaryObjectId ?? e.objectId);
      for (const merged of (e.mergedObjectIds ?? []).map(String).filter((id) => id !== survivor)) out.push({ ...base, id: merged, operation: 'merge', survivorId: survivor });
      continue;
    }
    const operation = OPERATIONS[e.subscriptionType];
    if (operation) out.push({ ...base, id: String(e.objectId), operation });
  }
  return out;
}

export function createWebhooks(secret: string, clock: Clock, maxAgeSeconds: number): WebhooksApi {
  return {
    verify: (request) => verifyV3(request, secret, clock, maxAgeSeconds),
    parse: (request) => parseEvents(request.rawBody),
  };
}
