import { Contact, ConnectorErrors, type Address, type ContactKind, type Phone, type RemoteContact } from '@ledgerlink/connector-sdk';
import type { CrmObject } from './client.js';
import { MAX_LENGTH } from './fields.js';

/** The custom contact property holding the idempotency key of the write that created the contact. */
export const KEY_PROPERTY = 'ledgerlink_key';

/** Contact properties the connector reads. */
export const CONTACT_PROPERTIES = [
  'firstname',
  'lastname',
  'email',
  'hs_additional_emails',
  'phone',
  'mobilephone',
  'fax',
  'company',
  'jobtitle',
  'website',
  'address',
  'city',
  'state',
  'zip',
  'country',
  'lastmodifieddate',
  'createdate',
  'hs_merged_object_ids',
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A canonical contact → HubSpot contact properties. HubSpot has no display-name property: the name
 * it shows is "firstname lastname". With a given or family name those two are written; without,
 * the whole display name goes into `lastname` (firstname cleared), so it reads back unchanged.
 * Only properties with a value are written, except the name pair: an update never clears a
 * property Ledgerlink has no value for (it may be HubSpot's own data). Refuses, naming the
 * canonical field, a value HubSpot would refuse or the catalog's limits do not allow.
 */
export function toHubspotProperties(contact: Contact): Record<string, string> {
  const props: Record<string, string> = {};
  const set = (property: string, field: string, value: string | undefined, max: number) => {
    const text = value?.trim();
    if (text === undefined || text === '') return;
    if (text.length > max) throw ConnectorErrors.validation(field, `HubSpot's ${property} takes at most ${max} characters here; ${field} has ${text.length}. Shorten it.`);
    props[property] = text;
  };
  const given = contact.givenName?.trim() ?? '';
  const family = contact.familyName?.trim() ?? '';
  if (given !== '' || family !== '') {
    set('firstname', 'givenName', given, MAX_LENGTH.name);
    set('lastname', 'familyName', family, MAX_LENGTH.name);
    props.firstname ??= '';
    props.lastname ??= '';
  } else {
    const display = contact.displayName?.trim() || contact.companyName?.trim() || '';
    if (display === '' && contact.emails.length === 0) {
      throw ConnectorErrors.validation('displayName', 'A HubSpot contact needs a name or an e-mail: fill displayName, givenName/familyName or an e-mail');
    }
    set('lastname', 'displayName', display, MAX_LENGTH.name);
    props.firstname = '';
  }
  const email = contact.emails.find((e) => e.type === 'primary') ?? contact.emails[0];
  if (email !== undefined && !EMAIL.test(email.address.trim())) {
    throw ConnectorErrors.validation('emails[primary]', `"${email.address}" is not an e-mail address HubSpot accepts (name@domain.tld); correct it`);
  }
  set('email', 'emails[primary]', email?.address, MAX_LENGTH.email);
  const phone = (type: Phone['type']) => contact.phones.find((p) => p.type === type)?.number;
  set('phone', 'phones[primary]', phone('primary') ?? phone('work') ?? phone('other'), MAX_LENGTH.phone);
  set('mobilephone', 'phones[mobile]', phone('mobile'), MAX_LENGTH.phone);
  set('fax', 'phones[fax]', phone('fax'), MAX_LENGTH.phone);
  set('company', 'companyName', contact.companyName, MAX_LENGTH.company);
  set('jobtitle', 'customFields.jobtitle', contact.customFields.jobtitle, MAX_LENGTH.jobtitle);
  set('website', 'website', contact.website, MAX_LENGTH.website);
  const address = contact.addresses.find((a) => a.type === 'billing') ?? contact.addresses[0];
  if (address !== undefined) {
    set('address', 'addresses[billing].lines', address.lines.filter((l) => l.trim() !== '').join(', '), MAX_LENGTH.address);
    set('city', 'addresses[billing].city', address.city, MAX_LENGTH.city);
    set('state', 'addresses[billing].region', address.region, MAX_LENGTH.state);
    set('zip', 'addresses[billing].postalCode', address.postalCode, MAX_LENGTH.zip);
    set('country', 'addresses[billing].country', address.country, MAX_LENGTH.country);
  }
  return props;
}

/** A create's properties: the name pair's empty counterpart is left out (nothing to clear). */
export function forCreate(props: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== ''));
}

/** The merged-away ids a survivor lists (`hs_merged_object_ids`, `;`-separated). */
export function mergedIds(record: CrmObject): string[] {
  return (record.properties.hs_merged_object_ids ?? '').split(';').filter((id) => id !== '');
}

/**
 * A HubSpot contact → RemoteContact. `requestedId` is the id asked for: HubSpot answers a
 * merged-away id with the surviving contact, so a different id means "merged into that one".
 */
export function fromHubspotContact(record: CrmObject, kind: ContactKind, requestedId?: string): RemoteContact {
  const p = record.properties;
  const text = (name: string) => p[name]?.trim() || undefined;
  const firstname = text('firstname');
  const lastname = text('lastname');
  const displayName = [firstname, lastname].filter(Boolean).join(' ') || text('company') || text('email');
  const emails = [
    ...(text('email') ? [{ address: text('email') ?? '', type: 'primary' as const }] : []),
    ...(p.hs_additional_emails ?? '')
      .split(';')
      .map((e) => e.trim())
      .filter((e) => e.length >= 3)
      .map((address) => ({ address, type: 'other' as const })),
  ];
  const phones: Phone[] = [];
  if (text('phone')) phones.push({ number: text('phone') ?? '', type: 'primary' });
  if (text('mobilephone')) phones.push({ number: text('mobilephone') ?? '', type: 'mobile' });
  if (text('fax')) phones.push({ number: text('fax') ?? '', type: 'fax' });
  const addresses: Address[] = [];
  if (['address', 'city', 'state', 'zip', 'country'].some((name) => text(name))) {
    addresses.push({
      type: 'billing',
      lines: text('address') ? [text('address') ?? ''] : [],
      ...(text('city') ? { city: text('city') } : {}),
      ...(text('state') ? { region: text('state') } : {}),
      ...(text('zip') ? { postalCode: text('zip') } : {}),
      ...(text('country') ? { country: text('country') } : {}),
    });
  }
  const contact = Contact.parse({
    kind,
    ...(displayName ? { displayName: displayName.slice(0, 500) } : {}),
    ...(firstname ? { givenName: firstname.slice(0, 100) } : {}),
    ...(lastname ? { familyName: lastname.slice(0, 100) } : {}),
    ...(text('company') ? { companyName: text('company')?.slice(0, 255) } : {}),
    emails: emails.filter((e) => e.address.length <= 320),
    phones: phones.map((ph) => ({ ...ph, number: ph.number.slice(0, 40) })),
    addresses,
    ...(text('website') ? { website: text('website')?.slice(0, 1000) } : {}),
    customFields: text('jobtitle') ? { jobtitle: text('jobtitle') ?? '' } : {},
  });
  const merged = requestedId !== undefined && requestedId !== record.id;
  const version = record.updatedAt ?? p.lastmodifieddate ?? undefined;
  return {
    id: merged ? requestedId : record.id,
    ...(version ? { version } : {}),
    status: merged ? 'merged' : record.archived === true ? 'archived' : 'active',
    ...(merged ? { mergedIntoId: record.id } : {}),
    ...(version ? { updatedAt: version } : {}),
    contact,
  };
}
