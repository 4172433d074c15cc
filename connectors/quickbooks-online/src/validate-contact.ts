import { ConnectorErrors, type ConnectorError, type ContactKind } from '@ledgerlink/connector-sdk';
import { fieldsFor } from './fields.js';
import type { QboNameListWrite } from './vendor/name-list.schema.js';

/**
 * QBO's documented rules for a Customer/Vendor body (reference §2.1, §12.4), checked before
 * sending so a person gets the field and the fix instead of a Fault code. Returns the first
 * problem, or undefined when the body is acceptable.
 */
export function checkQboNameList(body: QboNameListWrite, kind: ContactKind, mode: 'create' | 'update'): ConnectorError | undefined {
  const fields = fieldsFor(kind);
  const canonical = (id: string) => fields.find((f) => f.id === id)?.canonical ?? id;

  if (mode === 'create' && !body.DisplayName && !body.Title && !body.GivenName && !body.MiddleName && !body.FamilyName && !body.Suffix) {
    return ConnectorErrors.validation('displayName', 'QuickBooks needs a display name, or a person name (title, first, middle, last name or suffix) to build one; add one to the contact');
  }

  for (const key of ['DisplayName', 'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'] as const) {
    const value = body[key];
    const bad = value === undefined ? undefined : /[:\t\r\n]/.exec(value)?.[0];
    if (bad !== undefined) {
      const what = bad === ':' ? 'a colon (:)' : bad === '\t' ? 'a tab' : 'a line break';
      const name = fields.find((f) => f.id === key)?.label ?? key;
      return ConnectorErrors.validation(canonical(key), `${name} "${value}" contains ${what}, which QuickBooks does not allow in names; remove it`);
    }
  }

  for (const field of fields) {
    if (field.maxLength === undefined) continue;
    const value = valueAt(body, field.id);
    if (value !== undefined && value.length > field.maxLength) {
      return ConnectorErrors.validation(
        field.canonical ?? field.id,
        `${field.label} is ${value.length} characters long; QuickBooks allows at most ${field.maxLength}. Shorten it`,
      );
    }
  }

  for (const prefix of ['BillAddr', 'ShipAddr'] as const) {
    const address = body[prefix];
    if (!address) continue;
    const total = [address.Line1, address.Line2, address.Line3, address.Line4, address.Line5].reduce((n, line) => n + (line?.length ?? 0), 0);
    if (total > 2000) {
      const type = prefix === 'BillAddr' ? 'billing' : 'shipping';
      return ConnectorErrors.validation(`addresses[${type}].lines`, `The ${type} address lines add up to ${total} characters; QuickBooks allows at most 2000. Shorten them`);
    }
  }

  const email = body.PrimaryEmailAddr?.Address;
  if (email !== undefined && (!email.includes('@') || !email.includes('.'))) {
    return ConnectorErrors.validation('emails[primary]', `Email "${email}" is not an email address QuickBooks accepts (it needs an @ and a dot); correct it`);
  }

  const currency = body.CurrencyRef?.value;
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
    return ConnectorErrors.validation('currency', `Currency "${currency}" is not a three-letter ISO 4217 code such as USD; correct it`);
  }
  return undefined;
}

function valueAt(body: QboNameListWrite, path: string): string | undefined {
  let node: unknown = body;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' ? node : undefined;
}
