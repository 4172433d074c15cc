import { z } from 'zod';
import { type SandboxRequest, type SandboxResponse, json, problem, isResponse, parseBody as parse } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { HubspotError } from './errors.js';
import { archiveRecord, createRecord, findRecord, mergeRecords, parseProperties, renderRecord, updateRecord } from './objects.js';
import { type HubspotPortal, parseObjectType } from './store.js';
import { WEBHOOK_EVENT_TYPES } from './webhooks.js';

const CreatePortal = z.object({ name: z.string().trim().min(1).max(100) });
const Properties = z.union([
  z.object({ properties: z.record(z.string(), z.string()) }),
  z.object({ propertyName: z.string().min(1), value: z.string() }).transform((v) => ({ properties: { [v.propertyName]: v.value } })),
]);
const Merge = z.object({ primaryObjectId: z.coerce.string().min(1), objectIdToMerge: z.coerce.string().min(1) });
const Webhooks = z.object({
  targetUrl: z.string().url(),
  subscriptions: z
    .array(z.object({ eventType: z.enum(WEBHOOK_EVENT_TYPES), propertyName: z.string().min(1).optional() }))
    .optional(),
});

export function portalSummary(portal: HubspotPortal): Record<string, unknown> {
  const live = (type: 'contacts' | 'companies' | 'notes'): number => [...portal.objects[type].values()].filter((r) => !r.archived).length;
  return {
    portalId: portal.portalId,
    name: portal.name,
    domain: portal.domain,
    privateAppToken: portal.privateAppToken,
    contactCount: live('contacts'),
    companyCount: live('companies'),
    noteCount: live('notes'),
  };
}

/**
 * `/_control/hubspot/…`: the other side of HubSpot. Changes made here are a person working in
 * HubSpot's UI (changeSource CRM_UI) and fire the portal's webhooks like any other change.
 */
export function registerHubspotControlRoutes(router: Router, state: SandboxState): void {
  const hub = state.hubspot;
  const ui = (): { now: number; source: 'CRM_UI' } => ({ now: state.clock.now(), source: 'CRM_UI' });
  const withPortal =
    (handler: (portal: HubspotPortal, request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>) =>
    async (request: SandboxRequest): Promise<SandboxResponse> => {
      const portal = hub.store.get(Number(request.params.portalId ?? ''));
      if (portal === undefined) return problem(404, `No HubSpot portal ${request.params.portalId ?? ''}; GET /_control/hubspot/portals lists them.`);
      try {
        return await handler(portal, request);
      } catch (error) {
        if (error instanceof HubspotError) return json(error.status, { error: error.message, category: error.category });
        throw error;
      }
    };

  router.on('GET', '/_control/hubspot/portals', () => json(200, hub.store.list().map(portalSummary)));

  router.on('POST', '/_control/hubspot/portals', (request) => {
    const input = parse(CreatePortal, request, '{"name": "Test Portal"}');
    if (isResponse(input)) return input;
    return json(201, portalSummary(hub.store.createPortal({ name: input.name, createdMs: state.clock.now() })));
  });

  router.on(
    'GET',
    '/_control/hubspot/portals/:portalId/webhooks',
    withPortal((portal) => json(200, { settings: hub.webhooks.get(portal.portalId) ?? null, deliveries: hub.webhooks.deliveries(portal.portalId) })),
  );

  router.on(
    'POST',
    '/_control/hubspot/portals/:portalId/webhooks',
    withPortal((portal, request) => {
      const input = parse(Webhooks, request, '{"targetUrl": "http://127.0.0.1:3000/webhooks/hubspot", "subscriptions": [{"eventType": "contact.propertyChange", "propertyName": "email"}]}');
      if (isResponse(input)) return input;
      const subscriptions = input.subscriptions ?? [{ eventType: 'contact.creation' }, { eventType: 'contact.propertyChange' }, { eventType: 'contact.deletion' }, { eventType: 'contact.merge' }];
      return json(200, hub.webhooks.configure(portal.portalId, { targetUrl: input.targetUrl, subscriptions }));
    }),
  );

  router.on(
    'DELETE',
    '/_control/hubspot/portals/:portalId/webhooks',
    withPortal((portal) => {
      hub.webhooks.remove(portal.portalId);
      return { status: 204 };
    }),
  );

  router.on('POST', '/_control/hubspot/webhooks/flush', async () => {
    await hub.webhooks.flush();
    return json(200, { deliveries: hub.webhooks.deliveries() });
  });

  router.on(
    'GET',
    '/_control/hubspot/portals/:portalId/:objectType',
    withPortal((portal, request) => {
      const type = parseObjectType(request.params.objectType ?? '');
      if (type === undefined) return problem(404, `Unknown object type ${request.params.objectType ?? ''}; use contacts, companies or notes.`);
      return json(200, [...portal.objects[type].values()].map((record) => renderRecord(portal, record, { all: true, associations: ['contacts', 'companies', 'notes'] })));
    }),
  );

  router.on(
    'POST',
    '/_control/hubspot/portals/:portalId/contacts',
    withPortal((portal, request) => {
      const input = parse(Properties, request, '{"properties": {"email": "new@example.com", "firstname": "Ada"}}');
      if (isResponse(input)) return input;
      const record = createRecord(portal, 'contacts', parseProperties(portal, 'contacts', input.properties), [], ui());
      return json(201, renderRecord(portal, record, { all: true }));
    }),
  );

  router.on(
    'POST',
    '/_control/hubspot/portals/:portalId/contacts/merge',
    withPortal((portal, request) => {
      const input = parse(Merge, request, '{"primaryObjectId": "101", "objectIdToMerge": "102"}');
      if (isResponse(input)) return input;
      return json(200, renderRecord(portal, mergeRecords(portal, 'contacts', input.primaryObjectId, input.objectIdToMerge, ui()), { all: true }));
    }),
  );

  router.on(
    'POST',
    '/_control/hubspot/portals/:portalId/companies/merge',
    withPortal((portal, request) => {
      const input = parse(Merge, request, '{"primaryObjectId": "20001", "objectIdToMerge": "20002"}');
      if (isResponse(input)) return input;
      return json(200, renderRecord(portal, mergeRecords(portal, 'companies', input.primaryObjectId, input.objectIdToMerge, ui()), { all: true }));
    }),
  );

  router.on(
    'POST',
    '/_control/hubspot/portals/:portalId/contacts/:id/properties',
    withPortal((portal, request) => {
      const input = parse(Properties, request, '{"properties": {"phone": "+1 555 0100"}} or {"propertyName": "phone", "value": "+1 555 0100"}');
      if (isResponse(input)) return input;
      const record = findRecord(portal, 'contacts', request.params.id ?? '');
      if (record === undefined) return problem(404, `Portal ${portal.portalId} has no live contact ${request.params.id ?? ''}`);
      return json(200, renderRecord(portal, updateRecord(portal, record, parseProperties(portal, 'contacts', input.properties), ui()), { all: true }));
    }),
  );

  router.on(
    'POST',
    '/_control/hubspot/portals/:portalId/contacts/:id/archive',
    withPortal((portal, request) => {
      const record = findRecord(portal, 'contacts', request.params.id ?? '');
      if (record === undefined) return problem(404, `Portal ${portal.portalId} has no live contact ${request.params.id ?? ''}`);
      archiveRecord(portal, record, ui());
      return json(200, renderRecord(portal, record, { all: true }));
    }),
  );
}
