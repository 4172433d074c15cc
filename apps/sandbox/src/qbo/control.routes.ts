import { z } from 'zod';
import { type SandboxRequest, type SandboxResponse, json, problem, isResponse, parseBody as parse } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { renderNameEntity } from './customers.js';
import { toCents, fromCents } from './money.js';
import type { QboCompany } from './store.js';
import { renderTransaction } from './transactions.js';

const Merge = z.object({ intoId: z.string().min(1) }).strict();
const Webhooks = z
  .object({ url: z.url(), verifierToken: z.string().min(1), format: z.enum(['classic', 'cloudevents']).default('classic') })
  .strict();
const Settings = z
  .object({ duplicateDocNumbers: z.enum(['reject', 'allow']).optional(), requestsPerSecond: z.enum(['enforce', 'off']).optional() })
  .strict()
  .refine((s) => s.duplicateDocNumbers !== undefined || s.requestsPerSecond !== undefined, { message: 'send duplicateDocNumbers and/or requestsPerSecond' });

/**
 * Merges customer `loserId` into `intoId`, as QuickBooks does when one customer is renamed to
 * another's name: the survivor keeps its Id and takes over the loser's transactions and balance;
 * the loser becomes inactive, named "<name> (deleted)", and CDC reports it deleted. A `Merge`
 * change event names both (webhooks: `deletedId` / `data.deletedid`).
 */
export function mergeCustomers(company: QboCompany, loserId: string, intoId: string, nowMs: number): { survivor: string; merged: string } | string {
  if (loserId === intoId) return 'intoId must be another customer than the one merged away';
  const loser = company.customers.get(loserId);
  const survivor = company.customers.get(intoId);
  if (loser === undefined || company.merged.has(loserId)) return `Company ${company.realmId} has no customer ${loserId} to merge`;
  if (survivor === undefined || survivor.fields.Active === false) return `intoId ${intoId} is not an active customer of company ${company.realmId}`;
  for (const kind of ['Invoice', 'Payment', 'SalesReceipt', 'CreditMemo', 'Estimate'] as const) {
    for (const txn of company.txns[kind].values()) {
      const ref = txn.fields.CustomerRef;
      if (typeof ref === 'object' && ref !== null && !Array.isArray(ref) && ref.value === loserId) {
        txn.fields = { ...txn.fields, CustomerRef: { value: survivor.id, name: survivor.fields.DisplayName ?? '' } };
        txn.syncToken += 1;
        txn.updatedMs = nowMs;
      }
    }
  }
  const moved = toCents(loser.fields.Balance) ?? 0;
  survivor.fields = { ...survivor.fields, Balance: fromCents((toCents(survivor.fields.Balance) ?? 0) + moved) };
  survivor.syncToken += 1;
  survivor.updatedMs = nowMs;
  const name = typeof loser.fields.DisplayName === 'string' ? loser.fields.DisplayName : loser.id;
  let deletedName = `${name} (deleted)`;
  if (company.findByDisplayName(deletedName) !== undefined) deletedName = `${name} (deleted ${loser.id})`;
  company.replaceFields(loser, { ...loser.fields, DisplayName: deletedName, Active: false, Balance: 0 });
  loser.syncToken += 1;
  loser.updatedMs = nowMs;
  company.merged.set(loser.id, survivor.id);
  company.bury('Customer', loser.id, nowMs);
  company.emit('Customer', survivor.id, 'Merge', nowMs, loser.id);
  return { survivor: survivor.id, merged: loser.id };
}

/** QBO-specific control routes: merge, invoices, webhooks, per-company settings. */
export function registerQboControlRoutes(router: Router, state: SandboxState): void {
  const company = (request: SandboxRequest): QboCompany | SandboxResponse =>
    state.qbo.get(request.params.realmId ?? '') ?? problem(404, `No company with realmId ${request.params.realmId ?? ''}; GET /_control/qbo/companies lists them.`);

  router.on('POST', '/_control/qbo/companies/:realmId/customers/:id/merge', (request) => {
    const found = company(request);
    if (isResponse(found)) return found;
    const input = parse(Merge, request, '{"intoId": "2"}');
    if (isResponse(input)) return input;
    const result = mergeCustomers(found, request.params.id ?? '', input.intoId, state.clock.now());
    if (typeof result === 'string') return problem(result.startsWith('intoId') ? 400 : 404, result);
    const survivor = found.customers.get(result.survivor);
    const loser = found.customers.get(result.merged);
    return json(200, {
      survivor: survivor === undefined ? null : renderNameEntity(found, survivor),
      merged: loser === undefined ? null : renderNameEntity(found, loser),
    });
  });

  router.on('GET', '/_control/qbo/companies/:realmId/invoices', (request) => {
    const found = company(request);
    if (isResponse(found)) return found;
    const raw = request.url.searchParams.get('limit') ?? '100';
    const limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return problem(400, `limit must be a whole number from 1 to 1000; got ${raw}`);
    const out = [];
    for (const invoice of found.txns.Invoice.values()) {
      out.push(renderTransaction(found, invoice));
      if (out.length >= limit) break;
    }
    return json(200, { total: found.txns.Invoice.size, invoices: out });
  });

  router.on('POST', '/_control/qbo/companies/:realmId/settings', (request) => {
    const found = company(request);
    if (isResponse(found)) return found;
    const input = parse(Settings, request, '{"duplicateDocNumbers": "allow", "requestsPerSecond": "enforce"}');
    if (isResponse(input)) return input;
    if (input.duplicateDocNumbers !== undefined) found.duplicateDocNumbers = input.duplicateDocNumbers;
    if (input.requestsPerSecond !== undefined) found.requestsPerSecond = input.requestsPerSecond;
    return json(200, { duplicateDocNumbers: found.duplicateDocNumbers, requestsPerSecond: found.requestsPerSecond });
  });

  router.on('GET', '/_control/qbo/webhooks', () => json(200, { subscription: state.qboWebhooks.current() ?? null, deliveries: state.qboWebhooks.deliveries() }));
  router.on('POST', '/_control/qbo/webhooks', (request) => {
    const input = parse(Webhooks, request, '{"url": "http://127.0.0.1:9000/hooks/qbo", "verifierToken": "…", "format": "cloudevents"}');
    if (isResponse(input)) return input;
    state.qboWebhooks.configure(input);
    return json(200, { subscription: state.qboWebhooks.current() ?? null });
  });
  router.on('DELETE', '/_control/qbo/webhooks', () => {
    state.qboWebhooks.configure(undefined);
    return json(200, { subscription: null });
  });
}
