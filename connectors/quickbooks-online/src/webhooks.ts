import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConnectorErrors, type ChangeEvent, type ChangeOperation, type EntityName, type VerifyResult, type WebhookRequest, type WebhooksApi } from '@ledgerlink/connector-sdk';
import { z } from 'zod';
import { envVarFor, type QboConfig } from './config.js';

/**
 * QBO webhooks: `intuit-signature` is base64(HMAC-SHA256(raw body, verifier token)). Two body
 * formats exist: the classic `{"eventNotifications":[{realmId, dataChangeEvent:{entities:[…]}}]}`
 * and the CloudEvents 1.0 array (`type: "qbo.customer.merged.v1"`, `intuitentityid`,
 * `intuitaccountid`, `data.deletedid`). Both become SDK ChangeEvents.
 */

const ENTITY: Readonly<Record<string, EntityName>> = {
  customer: 'customer',
  vendor: 'supplier',
  invoice: 'invoice',
  bill: 'bill',
  payment: 'payment',
  billpayment: 'bill_payment',
  creditmemo: 'credit_note',
  salesreceipt: 'sales_receipt',
  estimate: 'estimate',
};

/** QBO operation → SDK operation. A Void changes a document (its status reads `void`); Emailed changes nothing. */
const OPERATION: Readonly<Record<string, ChangeOperation>> = {
  create: 'create',
  created: 'create',
  update: 'update',
  updated: 'update',
  delete: 'delete',
  deleted: 'delete',
  merge: 'merge',
  merged: 'merge',
  void: 'update',
  voided: 'update',
};

const Id = z.union([z.string(), z.number()]).transform(String);

const Classic = z.object({
  eventNotifications: z.array(
    z.object({
      realmId: Id,
      dataChangeEvent: z
        .object({
          entities: z.array(z.object({ id: Id, name: z.string(), operation: z.string(), lastUpdated: z.string().nullish(), deletedId: Id.nullish() })).default([]),
        })
        .nullish(),
    }),
  ),
});

const CloudEvent = z.object({
  id: z.string().nullish(),
  type: z.string(),
  time: z.string().nullish(),
  intuitentityid: Id,
  intuitaccountid: Id.nullish(),
  data: z.object({ deletedid: Id.nullish(), deletedId: Id.nullish() }).catchall(z.unknown()).nullish(),
});
const CloudEvents = z.array(CloudEvent);

/** The header value QBO sends for `rawBody` (exported for tests and local tools). */
export function intuitSignatureOf(rawBody: string, verifierToken: string): string {
  return createHmac('sha256', verifierToken).update(rawBody, 'utf8').digest('base64');
}

export function verifyIntuitSignature(request: WebhookRequest, verifierToken: string | undefined): VerifyResult {
  if (!verifierToken) return { ok: false, reason: `no webhook verifier token is configured; set ${envVarFor('webhookVerifierToken')} to the token shown on your Intuit app's Webhooks page` };
  const header = request.headers['intuit-signature'];
  if (!header) return { ok: false, reason: 'the request has no intuit-signature header' };
  const expected = Buffer.from(intuitSignatureOf(request.rawBody, verifierToken), 'base64');
  const given = Buffer.from(header.trim(), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'intuit-signature does not match the body (wrong verifier token, or the body was changed)' };
  return { ok: true };
}

function isoOr(value: string | null | undefined, fallback: string): string {
  return value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : fallback;
}

function event(entityName: string, operationName: string, id: string, deletedId: string | undefined, occurredAt: string, tenantId: string | undefined, raw: Record<string, string>): ChangeEvent | undefined {
  const entity = ENTITY[entityName.toLowerCase()];
  const operation = OPERATION[operationName.toLowerCase()];
  if (!entity || !operation) return undefined;
  const common = { entity, occurredAt, ...(tenantId !== undefined ? { tenantId } : {}), raw };
  // QBO names the survivor as the event's entity and the merged-away record as deletedId.
  if (operation === 'merge') return deletedId !== undefined ? { ...common, id: deletedId, operation, survivorId: id } : { ...common, id, operation: 'update' };
  return { ...common, id, operation };
}

export function parseQboWebhook(rawBody: string, now: () => Date = () => new Date()): ChangeEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw ConnectorErrors.validation('body', 'The QuickBooks webhook body is not JSON');
  }
  const fallback = now().toISOString();
  const out: ChangeEvent[] = [];
  if (Array.isArray(json)) {
    const parsed = CloudEvents.safeParse(json);
    if (!parsed.success) throw ConnectorErrors.validation('body', `The QuickBooks CloudEvents body has an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    for (const ce of parsed.data) {
      const match = /^qbo\.([a-z]+)\.([a-z]+)\.v\d+$/i.exec(ce.type);
      if (!match?.[1] || !match[2]) continue;
      const deleted = ce.data?.deletedid ?? ce.data?.deletedId ?? undefined;
      const raw: Record<string, string> = { type: ce.type, entityId: ce.intuitentityid, ...(ce.id ? { eventId: ce.id } : {}), ...(deleted ? { deletedId: deleted } : {}) };
      const change = event(match[1], match[2], ce.intuitentityid, deleted, isoOr(ce.time, fallback), ce.intuitaccountid ?? undefined, raw);
      if (change) out.push(change);
    }
    return out;
  }
  const parsed = Classic.safeParse(json);
  if (!parsed.success) throw ConnectorErrors.validation('body', 'The QuickBooks webhook body is neither the eventNotifications format nor a CloudEvents array');
  for (const notification of parsed.data.eventNotifications) {
    for (const entity of notification.dataChangeEvent?.entities ?? []) {
      const deleted = entity.deletedId ?? undefined;
      const raw: Record<string, string> = { name: entity.name, operation: entity.operation, entityId: entity.id, realmId: notification.realmId, ...(deleted ? { deletedId: deleted } : {}) };
      const change = event(entity.name, entity.operation, entity.id, deleted, isoOr(entity.lastUpdated, fallback), notification.realmId, raw);
      if (change) out.push(change);
    }
  }
  return out;
}

export function createWebhooksApi(config: QboConfig, now: () => Date = () => new Date()): WebhooksApi {
  return {
    verify: (request) => verifyIntuitSignature(request, config.webhookVerifierToken),
    parse: (request) => parseQboWebhook(request.rawBody, now),
  };
}
