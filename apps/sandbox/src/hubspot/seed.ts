import { SANDBOX_HUBSPOT_DEMO_PORTAL_ID, SANDBOX_HUBSPOT_DEMO_TOKEN } from '../connector-env.js';
import { defaultAssociationType } from './associations.js';
import { createRecord } from './objects.js';
import type { HubspotStore } from './store.js';

const DAY = 86_400_000;

const COMPANIES = [
  { name: 'Acme Pty Ltd', domain: 'acme.example.com', city: 'Sydney', country: 'Australia', phone: '+61 2 9000 1234' },
  { name: 'Bayside Plumbing Co', domain: 'baysideplumbing.example.com', city: 'Oakland', country: 'United States', phone: '(510) 555-0143' },
  { name: 'Blue Wren Cafe', domain: 'bluewren.example.com', city: 'Melbourne', country: 'Australia' },
  { name: 'Northwind Traders', domain: 'northwind.example.com', city: 'Seattle', country: 'United States' },
];

/** [firstname, lastname, email, phone, company name or ''] — the first three share e-mails with QBO demo customers. */
const CONTACTS: readonly (readonly [string, string, string, string, string])[] = [
  ['Olivia', 'Chen', 'accounts@acme.example.com', '+61 2 9000 1234', 'Acme Pty Ltd'],
  ['Marcus', 'Reid', 'marcus@baysideplumbing.example.com', '(510) 555-0143', 'Bayside Plumbing Co'],
  ['Lachlan', 'Murray', 'hello@bluewren.example.com', '+61 3 9555 0142', 'Blue Wren Cafe'],
  ['Priya', 'Nair', 'priya@cedarandpine.example.com', '(503) 555-0178', ''],
  ['Noah', 'Williams', 'noah.williams@acme.example.com', '+61 2 9000 1250', 'Acme Pty Ltd'],
  ['Emma', 'Johansson', 'emma@northwind.example.com', '(206) 555-0112', 'Northwind Traders'],
  ['Liam', 'Oconnor', 'liam@northwind.example.com', '(206) 555-0113', 'Northwind Traders'],
  ['Sofia', 'Garcia', 'sofia.garcia@example.com', '(415) 555-0170', ''],
  ['Ethan', 'Brown', 'ethan.brown@example.com', '', ''],
  ['Chloe', 'Martin', 'chloe@bluewren.example.com', '+61 3 9555 0143', 'Blue Wren Cafe'],
];

/** One demo portal: four companies, ten contacts (most associated with their company), one note. */
export function seedHubspotDemo(store: HubspotStore, nowMs: number): void {
  const portal = store.createPortal({ name: 'Ledgerlink Demo CRM', portalId: SANDBOX_HUBSPOT_DEMO_PORTAL_ID, privateAppToken: SANDBOX_HUBSPOT_DEMO_TOKEN, createdMs: nowMs - 300 * DAY });
  let i = 0;
  const total = COMPANIES.length + CONTACTS.length + 1;
  const at = (): { now: number; source: 'CRM_UI' } => ({ now: nowMs - (total - i++) * 2 * DAY, source: 'CRM_UI' });
  const companyIds = new Map<string, string>();
  for (const company of COMPANIES) {
    const props = new Map(Object.entries(company).filter((entry): entry is [string, string] => entry[1] !== undefined));
    companyIds.set(company.name, createRecord(portal, 'companies', props, [], at()).id);
  }
  const contactToCompany = defaultAssociationType('contacts', 'companies');
  let acmeContact: string | undefined;
  for (const [firstname, lastname, email, phone, company] of CONTACTS) {
    const props = new Map([['firstname', firstname], ['lastname', lastname], ['email', email]]);
    if (phone !== '') props.set('phone', phone);
    if (company !== '') props.set('company', company);
    const companyId = companyIds.get(company);
    const links = companyId === undefined || contactToCompany === undefined ? [] : [{ toType: 'companies' as const, toId: companyId, typeId: contactToCompany.typeId }];
    const contact = createRecord(portal, 'contacts', props, links, at());
    acmeContact ??= contact.id;
  }
  if (acmeContact !== undefined) {
    const when = at();
    createRecord(
      portal,
      'notes',
      new Map([['hs_note_body', '<p>Invoice INV-1001 sent: AUD 1,250.00 due in 30 days.</p>'], ['hs_timestamp', new Date(when.now).toISOString()]]),
      [{ toType: 'contacts', toId: acmeContact, typeId: 202 }],
      when,
    );
  }
}
