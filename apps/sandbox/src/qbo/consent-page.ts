import { escapeHtml, page } from '../html.js';
import type { QboCompany } from './store.js';

export interface ConsentPageInput {
  readonly appName: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly state: string | undefined;
  readonly needsRealm: boolean;
  readonly companies: readonly QboCompany[];
  readonly error?: string;
}

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  'com.intuit.quickbooks.accounting': 'Read and change the accounting data of the company you choose (customers, vendors, invoices…)',
  'com.intuit.quickbooks.payment': 'Process payments for the company you choose',
  openid: 'Know who you are',
  profile: 'See your name',
  email: 'See your e-mail address',
  phone: 'See your phone number',
  address: 'See your address',
};

/** The picker's value for "create a new company". */
export const NEW_COMPANY = '__new__';

/** Intuit's "Connect to <app>" consent page, with a company picker. */
export function consentPage(input: ConsentPageInput): string {
  const hidden = [
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['response_type', 'code'],
    ['scope', input.scope],
    ...(input.state === undefined ? [] : [['state', input.state]]),
  ]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name ?? '')}" value="${escapeHtml(value ?? '')}">`)
    .join('\n');
  const scopes = input.scope
    .split(/\s+/)
    .filter((s) => s !== '')
    .map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`)
    .join('');
  const companies = input.companies
    .map(
      (company, i) => `<div class="choice">
  <input type="radio" id="realm-${escapeHtml(company.realmId)}" name="realmId" value="${escapeHtml(company.realmId)}"${i === 0 ? ' checked' : ''} required>
  <label for="realm-${escapeHtml(company.realmId)}">${escapeHtml(company.name)} <span class="muted">(realm ${escapeHtml(company.realmId)})</span></label>
</div>`,
    )
    .join('\n');
  const picker = input.needsRealm
    ? `<fieldset>
  <legend>Choose the company to connect</legend>
  ${companies}
  <div class="choice">
    <input type="radio" id="realm-new" name="realmId" value="${NEW_COMPANY}"${input.companies.length === 0 ? ' checked' : ''} required>
    <label for="realm-new">A new sandbox company named</label>
    <label class="sr-only" for="new-company-name">Name of the new sandbox company</label>
    <input type="text" id="new-company-name" name="newCompanyName" placeholder="e.g. Test Company Ltd" maxlength="100">
  </div>
</fieldset>`
    : '';
  const body = `<section class="card" aria-labelledby="consent-title">
  <h1 id="consent-title">Connect to ${escapeHtml(input.appName)}</h1>
  <p>Signed in to the Intuit sandbox as <strong>Sam Sandbox</strong>. ${escapeHtml(input.appName)} is asking to:</p>
  <ul>${scopes}</ul>
  ${input.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`}
  <form method="post" action="/qbo/connect/oauth2">
    ${hidden}
    ${picker}
    <div class="actions">
      <button type="submit" name="decision" value="allow">Connect</button>
      <button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Cancel</button>
    </div>
  </form>
  <p class="muted">After you choose, you go back to <code>${escapeHtml(input.redirectUri)}</code>.</p>
</section>`;
  return page({ title: `Connect to ${input.appName}`, product: 'Intuit QuickBooks (sandbox)', body });
}

/** The error page Intuit shows when the authorization request itself is broken. */
export function oauthErrorPage(title: string, message: string): string {
  const body = `<section class="card" role="alert" aria-labelledby="error-title">
  <h1 id="error-title">${escapeHtml(title)}</h1>
  <p>${escapeHtml(message)}</p>
</section>`;
  return page({ title, product: 'Intuit QuickBooks (sandbox)', body });
}
