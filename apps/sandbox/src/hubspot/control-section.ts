import { escapeHtml } from '../html.js';
import type { HubspotSandbox } from './hubspot-sandbox.js';
import type { CrmRecord, HubspotPortal } from './store.js';

const PAGE_ROWS = 200;

function contactRow(portal: HubspotPortal, record: CrmRecord): string {
  const p = (name: string): string => record.properties.get(name) ?? '';
  const name = `${p('firstname')} ${p('lastname')}`.trim() || p('email') || `Contact ${record.id}`;
  const base = `/_control/hubspot/portals/${portal.portalId}/contacts/${encodeURIComponent(record.id)}`;
  const link = `/hubspot/app/contacts/${portal.portalId}/record/0-1/${encodeURIComponent(record.id)}`;
  const fieldId = `hs-prop-${portal.portalId}-${record.id}`;
  return `<tr>
  <td>${escapeHtml(record.id)}</td>
  <td class="name"><a href="${escapeHtml(link)}">${escapeHtml(name)}</a></td>
  <td>${escapeHtml(p('email'))}</td>
  <td>${escapeHtml(p('company'))}</td>
  <td class="row-actions">
    <form data-action="${escapeHtml(`${base}/properties`)}" class="inline">
      <label class="sr-only" for="${escapeHtml(fieldId)}-name">Property of ${escapeHtml(name)}</label>
      <input type="text" id="${escapeHtml(fieldId)}-name" name="propertyName" value="phone" required maxlength="100">
      <label class="sr-only" for="${escapeHtml(fieldId)}-value">New value</label>
      <input type="text" id="${escapeHtml(fieldId)}-value" name="value" value="${escapeHtml(p('phone'))}">
      <button type="submit" class="secondary" aria-label="Save property of ${escapeHtml(name)}">Save</button>
    </form>
    <form data-action="${escapeHtml(`${base}/archive`)}" class="inline" data-confirm="Delete ${escapeHtml(name)} (to the recycle bin)?"><button type="submit" class="danger" aria-label="Delete ${escapeHtml(name)}">Delete</button></form>
  </td>
</tr>`;
}

function portalSection(hub: HubspotSandbox, portal: HubspotPortal): string {
  const contacts = [...portal.objects.contacts.values()].filter((r) => !r.archived);
  const companies = [...portal.objects.companies.values()].filter((r) => !r.archived);
  const notes = [...portal.objects.notes.values()].filter((r) => !r.archived).length;
  const webhooks = hub.webhooks.get(portal.portalId);
  const headingId = `hubspot-portal-${portal.portalId}`;
  const mergeId = `hs-merge-${portal.portalId}`;
  return `<section class="card" aria-labelledby="${headingId}">
  <h2 id="${headingId}">HubSpot · ${escapeHtml(portal.name)}</h2>
  <p class="muted">Portal ${portal.portalId} · ${contacts.length} contacts · ${companies.length} companies · ${notes} notes · private-app token <code>${escapeHtml(portal.privateAppToken)}</code></p>
  <p class="muted">Webhooks: ${webhooks === undefined ? 'none set' : `<code>${escapeHtml(webhooks.targetUrl)}</code> (${webhooks.subscriptions.map((s) => escapeHtml(s.eventType + (s.propertyName === undefined ? '' : `:${s.propertyName}`))).join(', ')})`}</p>
  ${contacts.length === 0 ? '<p>No contacts yet.</p>' : `<table>
    <caption class="sr-only">Contacts of ${escapeHtml(portal.name)}</caption>
    <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Company</th><th scope="col">Edit as a HubSpot user</th></tr></thead>
    <tbody>${contacts.slice(0, PAGE_ROWS).map((r) => contactRow(portal, r)).join('')}</tbody>
  </table>`}
  ${contacts.length > PAGE_ROWS ? `<p class="muted">Showing ${PAGE_ROWS} of ${contacts.length}; <a href="/_control/hubspot/portals/${portal.portalId}/contacts">all as JSON</a>.</p>` : ''}
  <p><strong>Companies:</strong> ${companies.slice(0, PAGE_ROWS).map((c) => `${escapeHtml(c.properties.get('name') ?? '')} <span class="muted">(${escapeHtml(c.id)})</span>`).join(' · ') || 'none'}</p>
  <form data-action="/_control/hubspot/portals/${portal.portalId}/contacts/merge" class="inline">
    <label for="${mergeId}-primary">Merge into contact</label>
    <input type="text" id="${mergeId}-primary" name="primaryObjectId" required maxlength="20" inputmode="numeric">
    <label for="${mergeId}-other">the contact</label>
    <input type="text" id="${mergeId}-other" name="objectIdToMerge" required maxlength="20" inputmode="numeric">
    <button type="submit" class="secondary">Merge</button>
  </form>
  <form data-action="/_control/hubspot/portals/${portal.portalId}/webhooks" class="inline">
    <label for="hs-hook-${portal.portalId}">Webhook target URL</label>
    <input type="text" id="hs-hook-${portal.portalId}" name="targetUrl" value="${escapeHtml(webhooks?.targetUrl ?? '')}" required>
    <button type="submit" class="secondary">Set webhooks</button>
  </form>
</section>`;
}

/** The HubSpot part of the control page at `/`. */
export function hubspotControlSection(hub: HubspotSandbox): string {
  const portals = hub.store.list();
  return `${portals.map((portal) => portalSection(hub, portal)).join('\n')}
<section class="card" aria-labelledby="hubspot-tools">
  <h2 id="hubspot-tools">HubSpot tools</h2>
  <form data-action="/_control/hubspot/portals" class="inline">
    <label for="hs-new-portal">New HubSpot portal name</label>
    <input type="text" id="hs-new-portal" name="name" required maxlength="100">
    <button type="submit">Add portal</button>
  </form>
  <form data-action="/_control/hubspot/webhooks/flush" class="inline"><button type="submit" class="secondary">Deliver queued webhooks now</button></form>
</section>`;
}
