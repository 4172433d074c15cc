import { escapeHtml, page } from '../html.js';
import { hubspotControlSection } from '../hubspot/control-section.js';
import { xeroControlSection } from '../xero/control-section.js';
import { isJsonObject } from '../json.js';
import type { SandboxState } from '../sandbox-state.js';
import { type NameRecord, type QboCompany, displayNameOf } from '../qbo/store.js';

/** Rows shown per company; the JSON API has them all. */
const PAGE_ROWS = 200;

function customerRow(company: QboCompany, record: NameRecord): string {
  const name = displayNameOf(record);
  const emailAddr = record.fields.PrimaryEmailAddr;
  const email = isJsonObject(emailAddr) && typeof emailAddr.Address === 'string' ? emailAddr.Address : '';
  const active = record.fields.Active !== false;
  const base = `/_control/qbo/companies/${encodeURIComponent(company.realmId)}/customers/${encodeURIComponent(record.id)}`;
  const inputId = `rename-${company.realmId}-${record.id}`;
  const link = `/qbo/app/customerdetail?nameId=${encodeURIComponent(record.id)}&realmId=${encodeURIComponent(company.realmId)}`;
  return `<tr>
  <td>${escapeHtml(record.id)}</td>
  <td class="name"><a href="${escapeHtml(link)}">${escapeHtml(name)}</a></td>
  <td>${escapeHtml(email)}</td>
  <td>${active ? '<span class="badge">Active</span>' : '<span class="badge inactive">Inactive</span>'}</td>
  <td>${record.syncToken}</td>
  <td class="row-actions">
    ${active ? `<form data-action="${escapeHtml(`${base}/inactivate`)}" class="inline"><button type="submit" class="danger" aria-label="Inactivate ${escapeHtml(name)}">Inactivate</button></form>` : ''}
    ${active ? `<form data-action="${escapeHtml(`${base}/merge`)}" class="inline">
      <label class="sr-only" for="${escapeHtml(`merge-${company.realmId}-${record.id}`)}">Merge ${escapeHtml(name)} into the customer with Id</label>
      <input type="text" id="${escapeHtml(`merge-${company.realmId}-${record.id}`)}" name="intoId" placeholder="Id" size="4" required pattern="[0-9]+">
      <button type="submit" class="secondary" aria-label="Merge ${escapeHtml(name)}">Merge into</button>
    </form>` : ''}
    <form data-action="${escapeHtml(`${base}/rename`)}" class="inline">
      <label class="sr-only" for="${escapeHtml(inputId)}">New display name for ${escapeHtml(name)}</label>
      <input type="text" id="${escapeHtml(inputId)}" name="displayName" value="${escapeHtml(name)}" required maxlength="500">
      <button type="submit" class="secondary" aria-label="Rename ${escapeHtml(name)}">Rename</button>
    </form>
  </td>
</tr>`;
}

/** The first `n` values of a map, without copying the whole map (companies may hold a million). */
function firstValues<T>(map: ReadonlyMap<string, T>, n: number): T[] {
  const out: T[] = [];
  for (const value of map.values()) {
    if (out.length >= n) break;
    out.push(value);
  }
  return out;
}

function companySection(company: QboCompany): string {
  const customerCount = company.customers.size;
  const customers = firstValues(company.customers, PAGE_ROWS);
  const vendors = firstValues(company.vendors, PAGE_ROWS).map((v) => `${escapeHtml(displayNameOf(v))} <span class="muted">(Id ${escapeHtml(v.id)})</span>`);
  const headingId = `company-${company.realmId}`;
  return `<section class="card" aria-labelledby="${escapeHtml(headingId)}">
  <h2 id="${escapeHtml(headingId)}">${escapeHtml(company.name)}</h2>
  <p class="muted">Realm ${escapeHtml(company.realmId)} · ${escapeHtml(company.currency.value)} · ${customerCount} customers · ${company.vendors.size} vendors · <a href="/_control/qbo/companies/${encodeURIComponent(company.realmId)}/invoices">${company.txns.Invoice.size} invoices</a></p>
  ${customerCount === 0 ? '<p>No customers yet.</p>' : `<table>
    <caption class="sr-only">Customers of ${escapeHtml(company.name)}</caption>
    <thead><tr><th scope="col">Id</th><th scope="col">Display name</th><th scope="col">E-mail</th><th scope="col">Status</th><th scope="col">SyncToken</th><th scope="col">Actions</th></tr></thead>
    <tbody>${customers.map((record) => customerRow(company, record)).join('')}</tbody>
  </table>`}
  ${customerCount > PAGE_ROWS ? `<p class="muted">Showing the first ${PAGE_ROWS} of ${customerCount}; <a href="/_control/qbo/companies/${encodeURIComponent(company.realmId)}/customers">all as JSON</a>.</p>` : ''}
  ${vendors.length === 0 ? '' : `<p><strong>Vendors:</strong> ${vendors.join(' · ')}${company.vendors.size > PAGE_ROWS ? ' · …' : ''}</p>`}
</section>`;
}

const SCRIPT = `
const status = document.getElementById('status');
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.action) return;
  event.preventDefault();
  const body = {};
  for (const [key, value] of new FormData(form)) body[key] = form.elements[key]?.dataset?.type === 'number' ? Number(value) : value;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
  status.textContent = 'Working…';
  try {
    const res = await fetch(form.dataset.action, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.ok) { location.reload(); return; }
    const data = await res.json().catch(() => ({}));
    status.textContent = data.error || ('Failed: HTTP ' + res.status);
  } catch (error) {
    status.textContent = 'Failed: ' + error;
  }
});
`;

/** The control page at `/`: companies, customers, and the buttons a person plays QuickBooks with. */
export function controlPage(state: SandboxState, baseUrl: string): string {
  const companies = state.qbo.list();
  const requests = state.log.recent(15).reverse();
  const body = `<h1>Sandbox control</h1>
<p class="muted">QuickBooks Online API at <code>${escapeHtml(baseUrl)}/qbo</code> · control API at <code>${escapeHtml(baseUrl)}/_control</code> · sandbox time ${escapeHtml(new Date(state.clock.now()).toISOString())}</p>
<p id="status" role="status" aria-live="polite"></p>
${companies.length === 0 ? '<section class="card"><p>No companies yet. Add one below, or create one on the consent page while connecting.</p></section>' : companies.map(companySection).join('\n')}
${hubspotControlSection(state.hubspot)}
${xeroControlSection(state)}
<section class="card" aria-labelledby="tools-title">
  <h2 id="tools-title">Tools</h2>
  <form data-action="/_control/qbo/companies" class="inline">
    <label for="new-company">New company name</label>
    <input type="text" id="new-company" name="name" required maxlength="100">
    <button type="submit">Add company</button>
  </form>
  <div class="actions">
    <form data-action="/_control/clock"><input type="hidden" name="advanceSeconds" value="3660" data-type="number"><button type="submit" class="secondary">Advance time 61 minutes (expires access tokens)</button></form>
    <form data-action="/_control/reset" data-confirm="Reset the sandbox to its starting data?"><button type="submit" class="danger">Reset sandbox</button></form>
  </div>
  <div class="actions">
    <form data-action="/_control/faults/qbo"><input type="hidden" name="burst429" value="3" data-type="number"><button type="submit" class="secondary">Next 3 QuickBooks calls answer 429</button></form>
    <form data-action="/_control/faults/qbo"><input type="hidden" name="errorRate" value="0.2" data-type="number"><button type="submit" class="secondary">QuickBooks fails 20% of calls (500/503)</button></form>
    <form data-action="/_control/faults/qbo"><input type="hidden" name="errorRate" value="0" data-type="number"><input type="hidden" name="burst429" value="0" data-type="number"><input type="hidden" name="latencyMs" value="0" data-type="number"><input type="hidden" name="timeoutAfterCommitRate" value="0" data-type="number"><button type="submit" class="secondary">Clear QuickBooks faults</button></form>
  </div>
  <p class="muted">Faults: <code>${escapeHtml(JSON.stringify(state.faults.get('qbo')))}</code> · limits ${state.limits.enabled ? 'on' : 'off'}, time scale ${state.limits.timeScale}</p>
</section>
<section class="card" aria-labelledby="log-title">
  <h2 id="log-title">Recent requests</h2>
  <table><caption class="sr-only">Most recent requests first</caption>
    <thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th></tr></thead>
    <tbody>${requests.map((r) => `<tr><td>${escapeHtml(r.time)}</td><td>${escapeHtml(r.method)}</td><td><code>${escapeHtml(r.path.length > 120 ? `${r.path.slice(0, 120)}…` : r.path)}</code></td><td>${r.status}</td></tr>`).join('')}</tbody>
  </table>
  <p><a href="/_control/requests?limit=200">Full request log (JSON)</a></p>
</section>`;
  return page({ title: 'Ledgerlink sandbox', product: 'Ledgerlink sandbox', body, script: SCRIPT });
}
