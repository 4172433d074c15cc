import { escapeHtml } from '../html.js';
import type { SandboxState } from '../sandbox-state.js';
import { contactName } from './store.js';
import type { XeroContact, XeroOrganisation } from './store.js';

const ROWS = 200;

function contactRow(org: XeroOrganisation, contact: XeroContact, survivors: readonly XeroContact[]): string {
  const name = contactName(contact);
  const base = `/_control/xero/organisations/${encodeURIComponent(org.tenantId)}/contacts/${encodeURIComponent(contact.id)}`;
  const inputId = `xero-rename-${contact.id}`;
  const mergeId = `xero-merge-${contact.id}`;
  const email = typeof contact.fields.EmailAddress === 'string' ? contact.fields.EmailAddress : '';
  const status =
    contact.status === 'ACTIVE'
      ? '<span class="badge">Active</span>'
      : `<span class="badge inactive">${contact.mergedToContactId === undefined ? 'Archived' : 'Merged'}</span>`;
  const others = survivors.filter((s) => s !== contact);
  return `<tr>
  <td class="name"><a href="/xero/app/Contacts/View/${escapeHtml(contact.id)}">${escapeHtml(name)}</a></td>
  <td>${escapeHtml(email)}</td>
  <td>${status}</td>
  <td class="row-actions">
    ${contact.status === 'ACTIVE' ? `<form data-action="${escapeHtml(`${base}/archive`)}" class="inline"><button type="submit" class="danger" aria-label="Archive ${escapeHtml(name)}">Archive</button></form>` : ''}
    <form data-action="${escapeHtml(`${base}/rename`)}" class="inline">
      <label class="sr-only" for="${escapeHtml(inputId)}">New name for ${escapeHtml(name)}</label>
      <input type="text" id="${escapeHtml(inputId)}" name="name" value="${escapeHtml(name)}" required maxlength="255">
      <button type="submit" class="secondary" aria-label="Rename ${escapeHtml(name)}">Rename</button>
    </form>
    ${
      contact.status === 'ACTIVE' && others.length > 0
        ? `<form data-action="${escapeHtml(`${base}/merge`)}" class="inline">
      <label class="sr-only" for="${escapeHtml(mergeId)}">Merge ${escapeHtml(name)} into</label>
      <select id="${escapeHtml(mergeId)}" name="survivorContactId">${others.map((o) => `<option value="${escapeHtml(o.id)}">${escapeHtml(contactName(o))}</option>`).join('')}</select>
      <button type="submit" class="secondary" aria-label="Merge ${escapeHtml(name)}">Merge into</button>
    </form>`
        : ''
    }
  </td>
</tr>`;
}

function organisationSection(org: XeroOrganisation): string {
  const contacts = [...org.contacts.values()].slice(0, ROWS);
  const active = contacts.filter((c) => c.status === 'ACTIVE');
  const headingId = `xero-org-${org.tenantId}`;
  return `<section class="card" aria-labelledby="${escapeHtml(headingId)}">
  <h2 id="${escapeHtml(headingId)}">${escapeHtml(org.name)} <span class="badge">Xero</span></h2>
  <p class="muted">Tenant ${escapeHtml(org.tenantId)} · ${escapeHtml(org.baseCurrency)} · ${org.contacts.size} contacts · ${org.invoices.size} invoices and bills</p>
  ${contacts.length === 0 ? '<p>No contacts yet.</p>' : `<table>
    <caption class="sr-only">Contacts of ${escapeHtml(org.name)}</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
    <tbody>${contacts.map((c) => contactRow(org, c, active)).join('')}</tbody>
  </table>`}
  ${org.contacts.size > ROWS ? `<p class="muted">Showing the first ${ROWS}; <a href="/_control/xero/organisations/${encodeURIComponent(org.tenantId)}/contacts">all as JSON</a>.</p>` : ''}
</section>`;
}

/** The Xero part of the control page: organisations, contacts and their buttons, webhook status. */
export function xeroControlSection(state: SandboxState): string {
  const subscription = state.xeroWebhooks.current;
  return `${state.xero.list().map(organisationSection).join('\n')}
<section class="card" aria-labelledby="xero-tools-title">
  <h2 id="xero-tools-title">Xero tools</h2>
  <form data-action="/_control/xero/organisations" class="inline">
    <label for="xero-new-org">New organisation name</label>
    <input type="text" id="xero-new-org" name="name" required maxlength="100">
    <button type="submit">Add organisation</button>
  </form>
  <p>Webhook: ${subscription === undefined ? 'none registered' : `<code>${escapeHtml(subscription.url)}</code> (${escapeHtml(subscription.status)})`} · signing key <code>${escapeHtml(state.xeroWebhooks.key)}</code></p>
</section>`;
}
