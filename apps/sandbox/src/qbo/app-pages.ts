import { escapeHtml, page } from '../html.js';
import { html } from '../http.js';
import { type Json, isJsonObject } from '../json.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import type { StoredNameKind } from './customers.js';
import { formatQboTime } from './qbo-time.js';
import { type NameRecord, type QboCompany, displayNameOf } from './store.js';

const PRODUCT = 'QuickBooks Online (sandbox)';

function text(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function address(value: Json | undefined): string {
  if (!isJsonObject(value)) return '';
  return ['Line1', 'Line2', 'Line3', 'City', 'CountrySubDivisionCode', 'PostalCode', 'Country']
    .map((key) => text(value[key]))
    .filter((part) => part !== '')
    .join(', ');
}

function detailPage(company: QboCompany, record: NameRecord): string {
  const f = record.fields;
  const rows: [string, string][] = [
    ['Company name', text(f.CompanyName)],
    ['Name', [f.Title, f.GivenName, f.MiddleName, f.FamilyName, f.Suffix].map(text).filter((p) => p !== '').join(' ')],
    ['E-mail', isJsonObject(f.PrimaryEmailAddr) ? text(f.PrimaryEmailAddr.Address) : ''],
    ['Phone', isJsonObject(f.PrimaryPhone) ? text(f.PrimaryPhone.FreeFormNumber) : ''],
    ['Billing address', address(f.BillAddr)],
    ['Balance', `${text(f.Balance) || '0'} ${isJsonObject(f.CurrencyRef) ? text(f.CurrencyRef.value) : ''}`],
    ['Status', f.Active === false ? 'Inactive' : 'Active'],
    ['Id', record.id],
    ['SyncToken', String(record.syncToken)],
    ['Last updated', formatQboTime(record.updatedMs, company.timeZone)],
  ];
  const body = `<section class="card" aria-labelledby="entity-title">
  <p class="muted">${escapeHtml(company.name)} · ${record.kind}</p>
  <h1 id="entity-title">${escapeHtml(displayNameOf(record))}${f.Active === false ? ' <span class="badge inactive">(deleted)</span>' : ''}</h1>
  <dl>${rows
    .filter(([, value]) => value.trim() !== '')
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('')}</dl>
</section>`;
  return page({ title: `${displayNameOf(record)} — ${record.kind}`, product: PRODUCT, body });
}

function notFoundPage(kind: StoredNameKind, nameId: string): string {
  const body = `<section class="card" role="alert"><h1>${kind} not found</h1><p>No sandbox company has a ${kind.toLowerCase()} with Id ${escapeHtml(nameId)}.</p></section>`;
  return page({ title: `${kind} not found`, product: PRODUCT, body });
}

function choicePage(kind: StoredNameKind, path: string, nameId: string, matches: [QboCompany, NameRecord][]): string {
  const items = matches
    .map(
      ([company, record]) =>
        `<li><a href="${escapeHtml(`${path}?nameId=${encodeURIComponent(nameId)}&realmId=${encodeURIComponent(company.realmId)}`)}">${escapeHtml(displayNameOf(record))}</a> in ${escapeHtml(company.name)}</li>`,
    )
    .join('');
  const body = `<section class="card"><h1>Which company?</h1><p>Several sandbox companies have a ${kind.toLowerCase()} with Id ${escapeHtml(nameId)}:</p><ul>${items}</ul></section>`;
  return page({ title: 'Which company?', product: PRODUCT, body });
}

/**
 * Deep-link targets of the QBO web app: `/qbo/app/customerdetail?nameId=<id>` (and vendordetail).
 * The company comes from `realmId` (or `companyId`, which integrations append); without one, every
 * company is searched and a choice is offered when the Id exists in several.
 */
export function registerQboAppPages(router: Router, state: SandboxState): void {
  for (const [kind, path] of [['Customer', '/qbo/app/customerdetail'], ['Vendor', '/qbo/app/vendordetail']] as const) {
    router.on('GET', path, (request) => {
      const params = request.url.searchParams;
      const nameId = params.get('nameId') ?? '';
      const realmId = params.get('realmId') ?? params.get('companyId');
      const companies = realmId === null ? state.qbo.list() : [state.qbo.get(realmId)].filter((c): c is QboCompany => c !== undefined);
      const matches: [QboCompany, NameRecord][] = [];
      for (const company of companies) {
        const record = company.entities(kind).get(nameId);
        if (record !== undefined) matches.push([company, record]);
      }
      const [only] = matches;
      if (only === undefined) return html(404, notFoundPage(kind, nameId));
      if (matches.length > 1) return html(200, choicePage(kind, path, nameId, matches));
      return html(200, detailPage(only[0], only[1]));
    });
  }
}
