import type { JsonObject } from '../json.js';
import { createContact, mergeContacts } from './contacts.js';
import { createInvoice } from './invoices.js';
import type { XeroStore } from './store.js';

/** Tenant ids of the demo organisations; fixed so a connected hub survives a reset. */
export const DEMO_TENANTS = { au: 'b1e9c2f0-6d3a-4c58-9e71-2a4f8d0c3b11', nz: 'c7a2d4e6-1f3b-4a5c-8d9e-0b1c2d3e4f22' } as const;

const DAY = 86_400_000;

function contact(name: string, first: string, last: string, email: string, phone: string, city: string, country: string, extra: JsonObject = {}): JsonObject {
  return {
    Name: name,
    FirstName: first,
    LastName: last,
    EmailAddress: email,
    Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: phone }],
    Addresses: [{ AddressType: 'STREET', AddressLine1: '1 Demo Street', City: city, Country: country }],
    ...extra,
  };
}

const AU_CONTACTS: JsonObject[] = [
  contact('Acme Pty Ltd', 'Olivia', 'Chen', 'accounts@acme.example.com', '02 9000 1234', 'Sydney', 'Australia', { ContactNumber: 'ACME-001' }),
  contact('Blue Wren Cafe', 'Lachlan', 'Murray', 'hello@bluewren.example.com', '03 9555 0142', 'Melbourne', 'Australia'),
  contact('Coastal Freight Pty Ltd', 'Aisha', 'Rahman', 'ap@coastalfreight.example.com', '07 3555 0190', 'Brisbane', 'Australia'),
  contact('Darling Harbour Events', 'Tom', 'Nguyen', 'tom@dhevents.example.com', '02 8555 0133', 'Sydney', 'Australia'),
  contact('Eucalypt Design Studio', 'Isla', 'Fraser', 'studio@eucalypt.example.com', '08 8555 0117', 'Adelaide', 'Australia'),
  contact('Flinders Lane Florist', 'Ruby', 'Walsh', 'ruby@flindersflorist.example.com', '03 9555 0188', 'Melbourne', 'Australia'),
  contact('Gumtree Joinery', 'Callum', 'Reid', 'callum@gumtreejoinery.example.com', '02 4555 0176', 'Newcastle', 'Australia'),
  contact('Southern Cross Packaging', 'Mia', 'Thompson', 'accounts@scpackaging.example.com', '02 9555 0101', 'Sydney', 'Australia'),
];

const NZ_CONTACTS: JsonObject[] = [
  contact('Acme Pty Ltd', 'Olivia', 'Chen', 'accounts@acme.example.com', '09 300 1234', 'Auckland', 'New Zealand'),
  contact('Kauri Coffee Roasters', 'Aroha', 'Ngata', 'orders@kauricoffee.example.com', '09 555 0142', 'Auckland', 'New Zealand'),
  contact('Harbourview Dental', 'James', 'Wilson', 'frontdesk@harbourview.example.com', '04 555 0190', 'Wellington', 'New Zealand'),
  contact('Pohutukawa Plumbing', 'Hemi', 'Walker', 'hemi@pohutukawa.example.com', '03 555 0133', 'Christchurch', 'New Zealand'),
  contact('Southern Alps Outfitters', 'Sophie', 'Brown', 'sophie@southernalps.example.com', '03 555 0117', 'Queenstown', 'New Zealand'),
  contact('Tui Creative Agency', 'Liam', 'Taylor', 'studio@tuicreative.example.com', '09 555 0188', 'Auckland', 'New Zealand'),
  contact('Waitemata Freight', 'Grace', 'Lee', 'ap@waitematafreight.example.com', '09 555 0176', 'Auckland', 'New Zealand'),
  contact('Kiwi Office Supplies', 'Noah', 'Smith', 'billing@kiwioffice.example.com', '04 555 0101', 'Wellington', 'New Zealand'),
];

/**
 * Two demo organisations with eight contacts each. In the AU one, Acme and Coastal Freight have an
 * invoice (customers), Southern Cross Packaging a bill (supplier), Gumtree Joinery is archived, and
 * a duplicate "Blue Wren Café" was merged into Blue Wren Cafe.
 */
export function seedXeroDemo(store: XeroStore, nowMs: number): void {
  const plans = [
    { tenantId: DEMO_TENANTS.au, name: 'Demo Company (AU)', countryCode: 'AU', contacts: AU_CONTACTS },
    { tenantId: DEMO_TENANTS.nz, name: 'Harbour Goods (NZ)', countryCode: 'NZ', contacts: NZ_CONTACTS },
  ];
  for (const plan of plans) {
    const org = store.createOrganisation({ tenantId: plan.tenantId, name: plan.name, countryCode: plan.countryCode, createdMs: nowMs - 400 * DAY });
    let i = 0;
    const made = plan.contacts.map((body) => createContact({ org, store, now: nowMs - (plan.contacts.length - i++) * 3 * DAY }, body));
    if (plan.countryCode !== 'AU') continue;
    const at = (daysAgo: number): { org: typeof org; store: XeroStore; now: number } => ({ org, store, now: nowMs - daysAgo * DAY });
    const [acme, blueWren, coastal, , , , gumtree, southernCross] = made;
    if (acme === undefined || blueWren === undefined || coastal === undefined || gumtree === undefined || southernCross === undefined) continue;
    createInvoice(at(5), {
      Type: 'ACCREC',
      Contact: { ContactID: acme.id },
      Status: 'AUTHORISED',
      Date: new Date(nowMs - 5 * DAY).toISOString().slice(0, 10),
      DueDate: new Date(nowMs + 25 * DAY).toISOString().slice(0, 10),
      LineItems: [{ Description: 'Website design', Quantity: 1, UnitAmount: 1200, AccountCode: '200' }],
    });
    createInvoice(at(4), {
      Type: 'ACCREC',
      Contact: { ContactID: coastal.id },
      Status: 'DRAFT',
      LineItems: [{ Description: 'Freight consulting', Quantity: 3, UnitAmount: 19.99, AccountCode: '200' }],
    });
    createInvoice(at(3), {
      Type: 'ACCPAY',
      Contact: { ContactID: southernCross.id },
      Status: 'AUTHORISED',
      InvoiceNumber: 'SCP-5521',
      LineItems: [{ Description: 'Boxes', Quantity: 200, UnitAmount: 1.15, AccountCode: '310' }],
    });
    const duplicate = createContact(at(2), { Name: 'Blue Wren Café', EmailAddress: 'hello@bluewren.example.com' });
    mergeContacts(at(1), duplicate, blueWren);
    org.updateContact(gumtree, { status: 'ARCHIVED' }, nowMs - DAY);
  }
}
