import { escapeHtml, page } from '../html.js';
import { type SandboxResponse, html, redirect } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { contactName } from './store.js';

function notFound(what: string): SandboxResponse {
  return html(404, page({ title: 'Page not found', product: 'Xero (sandbox)', body: `<section class="card" role="alert"><h1>Page not found</h1><p>${escapeHtml(what)}</p></section>` }));
}

/** Deep-link targets of the Xero web app under `/xero/app` (xero-api.md §9). */
export function registerXeroAppPages(router: Router, state: SandboxState): void {
  router.on('GET', '/xero/app/organisationlogin/default.aspx', (request) => {
    const shortCode = request.url.searchParams.get('shortcode') ?? '';
    const org = state.xero.list().find((o) => o.shortCode === shortCode);
    if (org === undefined) return notFound(`No organisation has the short code “${shortCode}”.`);
    const target = request.url.searchParams.get('redirecturl') ?? '/Contacts/';
    const path = target.startsWith('/') ? target : `/${target}`;
    const url = new URL(`/xero/app${path}`, 'http://sandbox.invalid');
    url.searchParams.set('tenantId', org.tenantId);
    return redirect(`${url.pathname}${url.search}`);
  });
  router.on('GET', '/xero/app/Contacts/View/:contactId', (request) => {
    const id = (request.params.contactId ?? '').toLowerCase();
    const tenantId = request.url.searchParams.get('tenantId');
    const org = state.xero.list().find((o) => (tenantId === null || o.tenantId === tenantId) && o.contacts.has(id));
    const contact = org?.contacts.get(id);
    if (org === undefined || contact === undefined) return notFound(`No contact ${id}.`);
    const email = typeof contact.fields.EmailAddress === 'string' ? contact.fields.EmailAddress : '';
    const body = `<section class="card" aria-labelledby="contact-title">
  <h1 id="contact-title">${escapeHtml(contactName(contact))}</h1>
  <p class="muted">${escapeHtml(org.name)} · Contact ${escapeHtml(contact.id)}</p>
  <dl><dt>Status</dt><dd>${escapeHtml(contact.status)}</dd><dt>Email</dt><dd>${escapeHtml(email)}</dd>${
    contact.mergedToContactId === undefined ? '' : `<dt>Merged into</dt><dd><a href="/xero/app/Contacts/View/${escapeHtml(contact.mergedToContactId)}">${escapeHtml(contact.mergedToContactId)}</a></dd>`
  }</dl>
</section>`;
    return html(200, page({ title: contactName(contact), product: 'Xero (sandbox)', body }));
  });
  const invoicePage = (request: { url: URL }): SandboxResponse => {
    const id = (request.url.searchParams.get('InvoiceID') ?? request.url.searchParams.get('invoiceID') ?? '').toLowerCase();
    const org = state.xero.list().find((o) => o.invoices.has(id));
    const invoice = org?.invoices.get(id);
    if (org === undefined || invoice === undefined) return notFound(`No invoice ${id}.`);
    const contact = org.contacts.get(invoice.contactId);
    const body = `<section class="card" aria-labelledby="invoice-title">
  <h1 id="invoice-title">${invoice.type === 'ACCREC' ? 'Invoice' : 'Bill'} ${escapeHtml(invoice.number)}</h1>
  <p class="muted">${escapeHtml(org.name)} · ${escapeHtml(contact === undefined ? '' : contactName(contact))} · ${escapeHtml(invoice.status)}</p>
  <p>Total ${escapeHtml((Number(invoice.total) / 100).toFixed(2))} ${escapeHtml(invoice.currencyCode)}</p>
</section>`;
    return html(200, page({ title: `Invoice ${invoice.number}`, product: 'Xero (sandbox)', body }));
  };
  router.on('GET', '/xero/app/AccountsReceivable/View.aspx', invoicePage);
  router.on('GET', '/xero/app/AccountsPayable/View.aspx', invoicePage);
  router.on('GET', '/xero/app/AccountsPayable/Edit.aspx', invoicePage);
}
