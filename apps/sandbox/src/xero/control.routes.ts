import { z } from 'zod';
import { type SandboxRequest, type SandboxResponse, json, problem, isResponse, parseBody as body } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { contactRoles, mergeContacts, renderContact, updateContact } from './contacts.js';
import { ElementError } from './errors.js';
import type { XeroOrganisation } from './store.js';

const CreateOrganisation = z.object({ name: z.string().trim().min(1).max(100), countryCode: z.enum(['AU', 'NZ', 'GB', 'US']).optional() });
const Rename = z.object({ name: z.string().min(1).max(255) });
const Merge = z.object({ survivorContactId: z.string().min(1) });
const Webhook = z.object({ url: z.url() });

/** Control API for Xero under `/_control/xero` (loopback, no auth: it plays the other side). */
export function registerXeroControlRoutes(router: Router, state: SandboxState): void {
  const withOrg =
    (handler: (org: XeroOrganisation, request: SandboxRequest) => SandboxResponse) =>
    (request: SandboxRequest): SandboxResponse => {
      const org = state.xero.get(request.params.tenantId ?? '');
      if (org === undefined) return problem(404, `No organisation with tenantId ${request.params.tenantId ?? ''}; GET /_control/xero/organisations lists them.`);
      try {
        return handler(org, request);
      } catch (error) {
        if (error instanceof ElementError) return problem(error.messages.some((m) => m.includes('already assigned')) ? 409 : 400, error.messages.join(' '));
        throw error;
      }
    };
  const contactOf = (org: XeroOrganisation, request: SandboxRequest) => org.contacts.get((request.params.contactId ?? '').toLowerCase());
  const missing = (org: XeroOrganisation, request: SandboxRequest): SandboxResponse =>
    problem(404, `Organisation ${org.tenantId} has no contact ${request.params.contactId ?? ''}`);

  const summary = (org: XeroOrganisation): Record<string, unknown> => ({
    tenantId: org.tenantId,
    name: org.name,
    countryCode: org.countryCode,
    shortCode: org.shortCode,
    contactCount: org.contacts.size,
    invoiceCount: org.invoices.size,
  });
  router.on('GET', '/_control/xero/organisations', () => json(200, state.xero.list().map(summary)));
  router.on('POST', '/_control/xero/organisations', (request) => {
    const input = body(CreateOrganisation, request, '{"name": "Test Trading Ltd", "countryCode": "AU"}');
    if (isResponse(input)) return input;
    const org = state.xero.createOrganisation({ name: input.name, ...(input.countryCode === undefined ? {} : { countryCode: input.countryCode }), createdMs: state.clock.now() });
    return json(201, summary(org));
  });
  router.on(
    'GET',
    '/_control/xero/organisations/:tenantId/contacts',
    withOrg((org) => {
      const roles = contactRoles(org);
      return json(200, [...org.contacts.values()].map((c) => renderContact(c, roles, { detailed: true })));
    }),
  );
  router.on(
    'POST',
    '/_control/xero/organisations/:tenantId/contacts/:contactId/archive',
    withOrg((org, request) => {
      const contact = contactOf(org, request);
      if (contact === undefined) return missing(org, request);
      if (contact.status !== 'ARCHIVED') updateContact({ org, store: state.xero, now: state.clock.now() }, contact, { ContactStatus: 'ARCHIVED' });
      return json(200, renderContact(contact, contactRoles(org), { detailed: true }));
    }),
  );
  router.on(
    'POST',
    '/_control/xero/organisations/:tenantId/contacts/:contactId/rename',
    withOrg((org, request) => {
      const input = body(Rename, request, '{"name": "New Name Ltd"}');
      if (isResponse(input)) return input;
      const contact = contactOf(org, request);
      if (contact === undefined) return missing(org, request);
      updateContact({ org, store: state.xero, now: state.clock.now() }, contact, { Name: input.name });
      return json(200, renderContact(contact, contactRoles(org), { detailed: true }));
    }),
  );
  router.on(
    'POST',
    '/_control/xero/organisations/:tenantId/contacts/:contactId/merge',
    withOrg((org, request) => {
      const input = body(Merge, request, '{"survivorContactId": "<ContactID to keep>"}');
      if (isResponse(input)) return input;
      const loser = contactOf(org, request);
      if (loser === undefined) return missing(org, request);
      const survivor = org.contacts.get(input.survivorContactId.toLowerCase());
      if (survivor === undefined) return problem(404, `survivorContactId: organisation ${org.tenantId} has no contact ${input.survivorContactId}`);
      mergeContacts({ org, store: state.xero, now: state.clock.now() }, loser, survivor);
      const roles = contactRoles(org);
      return json(200, { merged: renderContact(loser, roles, { detailed: true }), survivor: renderContact(survivor, roles, { detailed: true }) });
    }),
  );

  router.on('GET', '/_control/xero/webhooks', () =>
    json(200, { key: state.xeroWebhooks.key, subscription: state.xeroWebhooks.current ?? null, deliveries: state.xeroWebhooks.deliveries }),
  );
  router.on('POST', '/_control/xero/webhooks', async (request) => {
    const input = body(Webhook, request, '{"url": "http://127.0.0.1:3000/webhooks/xero"}');
    if (isResponse(input)) return input;
    const subscription = await state.xeroWebhooks.subscribe(input.url);
    return json(subscription.status === 'OK' ? 200 : 422, { key: state.xeroWebhooks.key, ...subscription });
  });
  router.on('DELETE', '/_control/xero/webhooks', () => {
    state.xeroWebhooks.unsubscribe();
    return { status: 204, body: undefined };
  });
}
