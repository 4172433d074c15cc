import type { UpsertContactRequest } from '@ledgerlink/contract';

type Demo = { readonly externalId: string } & UpsertContactRequest;

const customer = (n: number, displayName: string, email: string, phone: string, extra: Partial<UpsertContactRequest> = {}): Demo => ({
  externalId: `demo-cust-${String(n).padStart(3, '0')}`,
  kind: 'customer',
  displayName,
  email,
  phone,
  ...extra,
});

const supplier = (n: number, displayName: string, email: string, phone: string, extra: Partial<UpsertContactRequest> = {}): Demo => ({
  externalId: `demo-supp-${String(n).padStart(3, '0')}`,
  kind: 'supplier',
  displayName,
  email,
  phone,
  ...extra,
});

/** Demo customers and suppliers of the seeded workspace (fictional; `.example` mail domains). */
export const DEMO_CONTACTS: readonly Demo[] = [
  customer(1, 'Acme Pty Ltd', 'accounts@acme.example.com', '+61 2 9555 0101', { companyName: 'Acme Pty Ltd' }),
  customer(2, 'Bluegum Bakery', 'orders@bluegumbakery.example', '+61 3 9555 0142', { companyName: 'Bluegum Bakery' }),
  customer(3, 'Harbourview Dental', 'reception@harbourviewdental.example', '+61 2 9555 0177', { companyName: 'Harbourview Dental Group' }),
  customer(4, 'Olivia Bennett', 'olivia.bennett@mail.example', '+61 412 555 031', { givenName: 'Olivia', familyName: 'Bennett' }),
  customer(5, 'Northwind Traders', 'ap@northwind.example', '+1 206 555 0148', { companyName: 'Northwind Traders Inc.' }),
  customer(6, 'Kowalski & Sons Plumbing', 'office@kowalskiplumbing.example', '+1 312 555 0190', { companyName: 'Kowalski & Sons Plumbing LLC' }),
  customer(7, 'Priya Raman', 'priya.raman@mail.example', '+44 20 7946 0321', { givenName: 'Priya', familyName: 'Raman' }),
  customer(8, 'Greenleaf Landscaping', 'hello@greenleaf.example', '+61 7 3555 0112', { companyName: 'Greenleaf Landscaping' }),
  customer(9, 'Summit Physiotherapy', 'admin@summitphysio.example', '+64 9 555 0186', { companyName: 'Summit Physiotherapy Ltd' }),
  customer(10, 'Marcus Chen', 'marcus.chen@mail.example', '+1 415 555 0107', { givenName: 'Marcus', familyName: 'Chen' }),
  customer(11, 'Riverside Cafe', 'manager@riversidecafe.example', '+61 8 8555 0135', { companyName: 'Riverside Cafe' }),
  customer(12, 'Tandem Cycles', 'service@tandemcycles.example', '+44 161 555 0199', { companyName: 'Tandem Cycles Ltd' }),
  customer(13, 'Sofia Martinez', 'sofia.martinez@mail.example', '+1 305 555 0163', { givenName: 'Sofia', familyName: 'Martinez' }),
  customer(14, 'Blue Mountain Builders', 'invoices@bluemountainbuilders.example', '+61 2 4755 0158', { companyName: 'Blue Mountain Builders Pty Ltd' }),
  customer(15, 'Lumen Architecture', 'studio@lumenarch.example', '+1 646 555 0119', { companyName: 'Lumen Architecture PLLC' }),
  customer(16, 'Noah Williams', 'noah.williams@mail.example', '+61 433 555 078', { givenName: 'Noah', familyName: 'Williams' }),
  customer(17, 'Coastal Veterinary Clinic', 'frontdesk@coastalvet.example', '+61 2 6555 0183', { companyName: 'Coastal Veterinary Clinic' }),
  customer(18, 'Pemberton Law', 'billing@pembertonlaw.example', '+44 20 7946 0844', { companyName: 'Pemberton Law LLP' }),
  customer(19, 'Aiko Tanaka', 'aiko.tanaka@mail.example', '+1 206 555 0172', { givenName: 'Aiko', familyName: 'Tanaka' }),
  customer(20, 'Redwood Events', 'bookings@redwoodevents.example', '+1 707 555 0126', { companyName: 'Redwood Events Co.' }),
  customer(21, 'Fernhill Primary School P&C', 'treasurer@fernhillpc.example', '+61 3 5555 0194', { companyName: 'Fernhill Primary School P&C' }),
  customer(22, "Liam O'Connor", 'liam.oconnor@mail.example', '+353 1 555 0133', { givenName: 'Liam', familyName: "O'Connor" }),
  customer(23, 'Starlight Yoga Studio', 'namaste@starlightyoga.example', '+61 7 5555 0161', { companyName: 'Starlight Yoga Studio' }),
  customer(24, 'Quayside Marine', 'parts@quaysidemarine.example', '+64 4 555 0117', { companyName: 'Quayside Marine Ltd' }),
  customer(25, 'Hannah Schmidt', 'hannah.schmidt@mail.example', '+49 30 5555 0128', { givenName: 'Hannah', familyName: 'Schmidt' }),
  supplier(1, 'Office Supplies Direct', 'sales@officesuppliesdirect.example', '+61 2 9555 0201', { companyName: 'Office Supplies Direct Pty Ltd' }),
  supplier(2, 'Metro Electricity', 'business@metroelectric.example', '+61 3 9555 0202', { companyName: 'Metro Electricity Retail' }),
  supplier(3, 'CloudHost Networks', 'billing@cloudhost.example', '+1 650 555 0203', { companyName: 'CloudHost Networks Inc.' }),
  supplier(4, 'Fresh Fields Produce', 'orders@freshfields.example', '+61 7 3555 0204', { companyName: 'Fresh Fields Produce' }),
  supplier(5, 'Atlas Couriers', 'accounts@atlascouriers.example', '+44 20 7946 0205', { companyName: 'Atlas Couriers Ltd' }),
  supplier(6, 'Brightside Insurance', 'policies@brightside.example', '+61 2 8555 0206', { companyName: 'Brightside Insurance Group' }),
  supplier(7, 'Ironbark Timber', 'yard@ironbarktimber.example', '+61 2 6555 0207', { companyName: 'Ironbark Timber Supplies' }),
  supplier(8, 'Pixel & Print Studio', 'jobs@pixelprint.example', '+1 503 555 0208', { companyName: 'Pixel & Print Studio' }),
];
