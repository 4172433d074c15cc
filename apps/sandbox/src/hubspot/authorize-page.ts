import { escapeHtml, page } from '../html.js';
import type { HubspotPortal } from './store.js';

export interface AuthorizePageInput {
  readonly appName: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly optionalScope: string | undefined;
  readonly state: string | undefined;
  readonly portals: readonly HubspotPortal[];
  readonly userEmail: string;
  readonly error?: string;
}

const PRODUCT = 'HubSpot (sandbox)';

/** HubSpot's "Choose an account" + consent page for an OAuth app install. */
export function authorizePage(input: AuthorizePageInput): string {
  const hidden = [
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['scope', input.scope],
    ...(input.optionalScope === undefined ? [] : [['optional_scope', input.optionalScope]]),
    ...(input.state === undefined ? [] : [['state', input.state]]),
  ]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name ?? '')}" value="${escapeHtml(value ?? '')}">`)
    .join('\n');
  const scopes = input.scope
    .split(/\s+/)
    .filter((s) => s !== '')
    .map((s) => `<li><code>${escapeHtml(s)}</code></li>`)
    .join('');
  const portals = input.portals
    .map(
      (portal, i) => `<div class="choice">
  <input type="radio" id="portal-${portal.portalId}" name="portalId" value="${portal.portalId}"${i === 0 ? ' checked' : ''} required>
  <label for="portal-${portal.portalId}">${escapeHtml(portal.name)} <span class="muted">(${portal.portalId} · ${escapeHtml(portal.domain)})</span></label>
</div>`,
    )
    .join('\n');
  const body = `<section class="card" aria-labelledby="authorize-title">
  <h1 id="authorize-title">Connect ${escapeHtml(input.appName)} to HubSpot</h1>
  <p>Signed in to the HubSpot sandbox as <strong>${escapeHtml(input.userEmail)}</strong>. ${escapeHtml(input.appName)} is asking for:</p>
  <ul>${scopes}</ul>
  ${input.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`}
  <form method="post" action="/hubspot/oauth/authorize">
    ${hidden}
    ${input.portals.length === 0 ? '<p>This sandbox has no HubSpot accounts yet. Add one on the control page (<a href="/">/</a>).</p>' : `<fieldset><legend>Choose an account</legend>${portals}</fieldset>`}
    <div class="actions">
      <button type="submit" name="decision" value="allow"${input.portals.length === 0 ? ' disabled' : ''}>Connect app</button>
      <button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Cancel</button>
    </div>
  </form>
  <p class="muted">After you choose, you go back to <code>${escapeHtml(input.redirectUri)}</code>.</p>
</section>`;
  return page({ title: `Connect ${input.appName}`, product: PRODUCT, body });
}

export function authorizeErrorPage(title: string, message: string): string {
  return page({
    title,
    product: PRODUCT,
    body: `<section class="card" role="alert" aria-labelledby="error-title"><h1 id="error-title">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></section>`,
  });
}
