import { escapeHtml, page } from '../html.js';
import type { XeroOrganisation } from './store.js';

export interface XeroConsentInput {
  readonly appName: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly state: string | undefined;
  readonly organisations: readonly XeroOrganisation[];
  readonly error?: string;
}

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  'accounting.contacts': 'View and manage your contacts',
  'accounting.contacts.read': 'View your contacts',
  'accounting.transactions': 'View and manage your business transactions',
  'accounting.transactions.read': 'View your business transactions',
  'accounting.invoices': 'View and manage your invoices, bills and credit notes',
  'accounting.invoices.read': 'View your invoices, bills and credit notes',
  'accounting.payments': 'View and manage your payments',
  'accounting.payments.read': 'View your payments',
  'accounting.settings': 'View and manage your organisation settings',
  'accounting.settings.read': 'View your organisation settings',
  offline_access: 'Keep access while you are away (refresh tokens)',
  openid: 'Know who you are',
  profile: 'See your name',
  email: 'See your email address',
};

/** The picker's value for "create a new organisation". */
export const NEW_ORGANISATION = '__new__';

/** Xero's "<app> wants to access your Xero organisation" page, with an organisation picker. */
export function xeroConsentPage(input: XeroConsentInput): string {
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
  const organisations = input.organisations
    .map(
      (org, i) => `<div class="choice">
  <input type="radio" id="tenant-${escapeHtml(org.tenantId)}" name="tenantId" value="${escapeHtml(org.tenantId)}"${i === 0 ? ' checked' : ''} required>
  <label for="tenant-${escapeHtml(org.tenantId)}">${escapeHtml(org.name)} <span class="muted">(${escapeHtml(org.countryCode)} · ${escapeHtml(org.tenantId)})</span></label>
</div>`,
    )
    .join('\n');
  const body = `<section class="card" aria-labelledby="consent-title">
  <h1 id="consent-title">${escapeHtml(input.appName)} wants to access your Xero organisation</h1>
  <p>Logged in to the Xero sandbox as <strong>Sam Sandbox</strong>. ${escapeHtml(input.appName)} will be able to:</p>
  <ul>${scopes}</ul>
  ${input.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`}
  <form method="post" action="/xero/identity/connect/authorize">
    ${hidden}
    <fieldset>
      <legend>Organisation to connect</legend>
      ${organisations}
      <div class="choice">
        <input type="radio" id="tenant-new" name="tenantId" value="${NEW_ORGANISATION}"${input.organisations.length === 0 ? ' checked' : ''} required>
        <label for="tenant-new">A new sandbox organisation named</label>
        <label class="sr-only" for="new-organisation-name">Name of the new sandbox organisation</label>
        <input type="text" id="new-organisation-name" name="newOrganisationName" placeholder="e.g. Test Trading Ltd" maxlength="100">
      </div>
    </fieldset>
    <div class="actions">
      <button type="submit" name="decision" value="allow">Allow access</button>
      <button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Cancel</button>
    </div>
  </form>
  <p class="muted">After you choose, you go back to <code>${escapeHtml(input.redirectUri)}</code>.</p>
</section>`;
  return page({ title: `${input.appName} wants to access your Xero organisation`, product: 'Xero (sandbox)', body });
}

export function xeroErrorPage(title: string, message: string): string {
  const body = `<section class="card" role="alert" aria-labelledby="error-title">
  <h1 id="error-title">${escapeHtml(title)}</h1>
  <p>${escapeHtml(message)}</p>
</section>`;
  return page({ title, product: 'Xero (sandbox)', body });
}
