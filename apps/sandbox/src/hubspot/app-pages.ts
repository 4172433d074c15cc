import { escapeHtml, page } from '../html.js';
import { html } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { findRecord, renderRecord } from './objects.js';
import { parseObjectType } from './store.js';

/**
 * HubSpot's record pages (app.hubspot.com/contacts/:portalId/record/:objectTypeId/:id), the
 * target of Ledgerlink's deep links: `${APP_BASE_URL}/contacts/${portalId}/record/0-1/${id}`.
 */
export function registerHubspotAppPages(router: Router, state: SandboxState): void {
  router.on('GET', '/hubspot/app/contacts/:portalId/record/:objectTypeId/:id', (request) => {
    const portal = state.hubspot.store.get(Number(request.params.portalId ?? ''));
    const type = parseObjectType(request.params.objectTypeId ?? '');
    const record = portal === undefined || type === undefined ? undefined : findRecord(portal, type, request.params.id ?? '');
    if (portal === undefined || type === undefined || record === undefined) {
      return html(404, page({ title: 'Record not found', product: 'HubSpot (sandbox)', body: '<section class="card" role="alert"><h1>This record does not exist</h1><p>It may have been deleted or merged, or the portal id is wrong.</p></section>' }));
    }
    const rendered = renderRecord(portal, record, { all: true });
    const props = rendered.properties as Record<string, string | null>;
    const title = type === 'contacts' ? `${props.firstname ?? ''} ${props.lastname ?? ''}`.trim() || (props.email ?? `Contact ${record.id}`) : (props.name ?? `Record ${record.id}`);
    const rows = Object.entries(props).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v ?? '')}</dd>`).join('');
    return html(200, page({ title, product: 'HubSpot (sandbox)', body: `<section class="card"><h1>${escapeHtml(title)}</h1><p class="muted">${escapeHtml(portal.name)} · ${escapeHtml(type)} ${escapeHtml(record.id)}</p><dl>${rows}</dl></section>` }));
  });
}
