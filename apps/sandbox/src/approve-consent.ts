/**
 * Plays the person on one of the sandbox's consent pages (QuickBooks Online, Xero or HubSpot):
 * opens the authorize URL, keeps the first choice of each radio group (the first company,
 * organisation or portal) unless `choose` names another, allows, and returns where the sandbox
 * redirects the browser (`redirect_uri?code&state&…`). For tests and scripts; a person uses the page.
 */
export async function approveConsent(authorizeUrl: string, options: { readonly choose?: Readonly<Record<string, string>> } = {}): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`The consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error('The consent page has no form');
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*>/gi)) {
    const tag = input[0];
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    const value = decodeEntities(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
    const type = /\btype="([^"]*)"/.exec(tag)?.[1] ?? 'text';
    if (!name) continue;
    if (type === 'hidden') fields.set(name, value);
    if (type === 'radio' && !fields.has(name)) fields.set(name, value);
  }
  for (const [name, value] of Object.entries(options.choose ?? {})) fields.set(name, value);
  fields.set('decision', 'allow');
  const action = new URL(decodeEntities(form[1] ?? ''), authorizeUrl);
  const answer = await fetch(action, { method: 'POST', body: fields, redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status < 300 || answer.status >= 400 || !location) {
    throw new Error(`The consent form answered ${answer.status} without a redirect: ${(await answer.text()).slice(0, 300)}`);
  }
  return new URL(location);
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
