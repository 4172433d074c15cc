import type { JsonObject } from '../json.js';
import { createNameEntity } from './customers.js';
import type { QboStore } from './store.js';

/** Realm ids of the demo companies; fixed so a connected hub survives a reset. */
export const DEMO_REALMS = { us: '9341452713046891', au: '9341452713046892' } as const;

const DAY = 86_400_000;

function person(given: string, family: string, company: string | undefined, email: string, phone: string, addr: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    ...(company === undefined ? {} : { CompanyName: company, DisplayName: company }),
    GivenName: given,
    FamilyName: family,
    PrimaryEmailAddr: { Address: email },
    PrimaryPhone: { FreeFormNumber: phone },
    BillAddr: addr,
    ...extra,
  };
}

const US_CUSTOMERS: JsonObject[] = [
  // Same name as a plausible contact in the host app: uploading it shows duplicate handling (6240).
  person('Olivia', 'Chen', 'Acme Pty Ltd', 'accounts@acme.example.com', '+61 2 9000 1234', { Line1: '200 George Street', City: 'Sydney', CountrySubDivisionCode: 'NSW', PostalCode: '2000', Country: 'AU' }),
  person('Marcus', 'Reid', 'Bayside Plumbing Co', 'marcus@baysideplumbing.example.com', '(510) 555-0143', { Line1: '88 Embarcadero West', City: 'Oakland', CountrySubDivisionCode: 'CA', PostalCode: '94607', Country: 'USA' }),
  person('Priya', 'Nair', 'Cedar & Pine Landscaping', 'priya@cedarandpine.example.com', '(503) 555-0178', { Line1: '1420 SE Hawthorne Blvd', City: 'Portland', CountrySubDivisionCode: 'OR', PostalCode: '97214', Country: 'USA' }),
  person('Helen', 'Dawson', 'Dawson Family Dental', 'frontdesk@dawsondental.example.com', '(916) 555-0102', { Line1: '2600 Capitol Ave', City: 'Sacramento', CountrySubDivisionCode: 'CA', PostalCode: '95816', Country: 'USA' }, { Title: 'Dr.' }),
  person('Sam', 'Ortiz', "Evergreen Coffee Roasters", 'orders@evergreencoffee.example.com', '(206) 555-0199', { Line1: '410 Pine St', City: 'Seattle', CountrySubDivisionCode: 'WA', PostalCode: '98101', Country: 'USA' }),
  person('Grace', 'Kim', "Fulton Street Bakery", 'grace@fultonbakery.example.com', '(415) 555-0121', { Line1: '1650 Fulton St', City: 'San Francisco', CountrySubDivisionCode: 'CA', PostalCode: '94117', Country: 'USA' }),
  person('Dale', 'Hutchins', 'Granite Peak Outfitters', 'dale@granitepeak.example.com', '(775) 555-0166', { Line1: '55 Lake Tahoe Blvd', City: 'South Lake Tahoe', CountrySubDivisionCode: 'CA', PostalCode: '96150', Country: 'USA' }, { Active: false, Notes: 'Closed their account in spring.' }),
  person('Jordan', 'Miles', undefined, 'jordan.miles@example.com', '(650) 555-0187', { Line1: '742 Alma St', City: 'Palo Alto', CountrySubDivisionCode: 'CA', PostalCode: '94301', Country: 'USA' }),
];

const US_VENDORS: JsonObject[] = [
  { DisplayName: 'Pacific Office Supply', CompanyName: 'Pacific Office Supply', PrimaryEmailAddr: { Address: 'billing@pacificoffice.example.com' }, AcctNum: 'POS-1182' },
  { DisplayName: 'Bay Area Courier', CompanyName: 'Bay Area Courier LLC', PrimaryPhone: { FreeFormNumber: '(415) 555-0110' } },
  { DisplayName: 'Lumen Electric Utility', CompanyName: 'Lumen Electric', AcctNum: '0045-22981' },
];

const AU_CUSTOMERS: JsonObject[] = [
  person('Olivia', 'Chen', 'Acme Pty Ltd', 'accounts@acme.example.com', '+61 2 9000 1234', { Line1: '200 George Street', City: 'Sydney', CountrySubDivisionCode: 'NSW', PostalCode: '2000', Country: 'Australia' }),
  person('Lachlan', 'Murray', 'Blue Wren Cafe', 'hello@bluewren.example.com', '+61 3 9555 0142', { Line1: '12 Degraves Street', City: 'Melbourne', CountrySubDivisionCode: 'VIC', PostalCode: '3000', Country: 'Australia' }),
  person('Aisha', 'Rahman', 'Coastal Freight Pty Ltd', 'ap@coastalfreight.example.com', '+61 7 3555 0190', { Line1: '9 Port Drive', City: 'Brisbane', CountrySubDivisionCode: 'QLD', PostalCode: '4178', Country: 'Australia' }),
  person('Tom', 'Nguyen', 'Darling Harbour Events', 'tom@dhevents.example.com', '+61 2 8555 0133', { Line1: '2 Darling Drive', City: 'Sydney', CountrySubDivisionCode: 'NSW', PostalCode: '2000', Country: 'Australia' }),
  person('Isla', 'Fraser', 'Eucalypt Design Studio', 'studio@eucalypt.example.com', '+61 8 8555 0117', { Line1: '40 Rundle Mall', City: 'Adelaide', CountrySubDivisionCode: 'SA', PostalCode: '5000', Country: 'Australia' }),
  person('Ruby', 'Walsh', 'Flinders Lane Florist', 'ruby@flindersflorist.example.com', '+61 3 9555 0188', { Line1: '118 Flinders Lane', City: 'Melbourne', CountrySubDivisionCode: 'VIC', PostalCode: '3000', Country: 'Australia' }),
  person('Callum', 'Reid', 'Gumtree Joinery', 'callum@gumtreejoinery.example.com', '+61 2 4555 0176', { Line1: '7 Mill Road', City: 'Newcastle', CountrySubDivisionCode: 'NSW', PostalCode: '2300', Country: 'Australia' }, { Active: false }),
  person('Mia', 'Thompson', undefined, 'mia.thompson@example.com', '+61 400 555 123', { Line1: '3/21 Beach Road', City: 'Bondi', CountrySubDivisionCode: 'NSW', PostalCode: '2026', Country: 'Australia' }),
];

const AU_VENDORS: JsonObject[] = [
  { DisplayName: 'Southern Cross Packaging', CompanyName: 'Southern Cross Packaging Pty Ltd', PrimaryEmailAddr: { Address: 'accounts@scpackaging.example.com' } },
  { DisplayName: 'Harbourside Removals', CompanyName: 'Harbourside Removals', PrimaryPhone: { FreeFormNumber: '+61 2 9555 0101' } },
  { DisplayName: 'Kookaburra IT Services', CompanyName: 'Kookaburra IT Services', AcctNum: 'KIT-2231' },
];

/** Two demo companies, each with eight customers (one inactive) and three vendors. */
export function seedQboDemo(store: QboStore, nowMs: number): void {
  const plans = [
    { settings: { realmId: DEMO_REALMS.us, name: 'Sandbox Company US' }, customers: US_CUSTOMERS, vendors: US_VENDORS },
    {
      settings: { realmId: DEMO_REALMS.au, name: 'Harbour Goods Ltd', timeZone: 'Australia/Sydney', country: 'AU', currency: { value: 'AUD', name: 'Australian Dollar' } },
      customers: AU_CUSTOMERS,
      vendors: AU_VENDORS,
    },
  ];
  for (const plan of plans) {
    const company = store.createCompany({ ...plan.settings, createdMs: nowMs - 400 * DAY });
    const total = plan.customers.length + plan.vendors.length;
    let i = 0;
    for (const body of plan.customers) createNameEntity(company, 'Customer', body, nowMs - (total - i++) * 3 * DAY);
    for (const body of plan.vendors) createNameEntity(company, 'Vendor', body, nowMs - (total - i++) * 3 * DAY);
  }
}
