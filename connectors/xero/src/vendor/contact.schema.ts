import { z } from 'zod';

/** Xero's answers as this connector reads them (reference §1.3, §2.2). Unknown keys are ignored. */

const text = z.string().nullish();

export const XeroPhone = z.object({
  PhoneType: z.string(),
  PhoneNumber: text,
  PhoneAreaCode: text,
  PhoneCountryCode: text,
});
export type XeroPhone = z.infer<typeof XeroPhone>;

export const XeroAddress = z.object({
  AddressType: z.string(),
  AddressLine1: text,
  AddressLine2: text,
  AddressLine3: text,
  AddressLine4: text,
  City: text,
  Region: text,
  PostalCode: text,
  Country: text,
  AttentionTo: text,
});
export type XeroAddress = z.infer<typeof XeroAddress>;

export const XeroValidationError = z.object({ Message: z.string() });

export const XeroContact = z.object({
  ContactID: z.string().optional(),
  MergedToContactID: z.string().nullish(),
  ContactNumber: text,
  AccountNumber: text,
  ContactStatus: z.string().optional(),
  Name: text,
  FirstName: text,
  LastName: text,
  CompanyNumber: text,
  EmailAddress: text,
  TaxNumber: text,
  DefaultCurrency: text,
  Website: text,
  Addresses: z.array(XeroAddress).nullish(),
  Phones: z.array(XeroPhone).nullish(),
  IsSupplier: z.boolean().nullish(),
  IsCustomer: z.boolean().nullish(),
  UpdatedDateUTC: z.string().nullish(),
  HasValidationErrors: z.boolean().nullish(),
  StatusAttributeString: z.string().nullish(),
  ValidationErrors: z.array(XeroValidationError).nullish(),
});
export type XeroContact = z.infer<typeof XeroContact>;

export const XeroContactsEnvelope = z.object({
  Contacts: z.array(XeroContact),
  pagination: z.object({ page: z.number(), pageSize: z.number(), pageCount: z.number(), itemCount: z.number() }).optional(),
});

/** A whole-request failure (400 ValidationException and friends). */
export const XeroApiException = z.object({
  ErrorNumber: z.number().optional(),
  Type: z.string().optional(),
  Message: z.string().optional(),
  Elements: z.array(z.object({ ValidationErrors: z.array(XeroValidationError).nullish() }).loose()).optional(),
});

/** 401/403/429 problem details. */
export const XeroProblem = z.object({ Title: z.string().nullish(), Detail: z.string().nullish(), Status: z.number().nullish() });

export const XeroConnection = z.object({
  id: z.string(),
  tenantId: z.string(),
  tenantType: z.string().nullish(),
  tenantName: z.string().nullish(),
});
export const XeroConnections = z.array(XeroConnection);

/** What a contact write sends (PascalCase, omitted fields are kept by Xero). */
export interface XeroContactWrite {
  ContactID?: string;
  Name?: string;
  FirstName?: string;
  LastName?: string;
  EmailAddress?: string;
  TaxNumber?: string;
  DefaultCurrency?: string;
  Phones?: { PhoneType: string; PhoneNumber: string }[];
  Addresses?: {
    AddressType: string;
    AddressLine1?: string;
    AddressLine2?: string;
    AddressLine3?: string;
    AddressLine4?: string;
    City?: string;
    Region?: string;
    PostalCode?: string;
    Country?: string;
  }[];
}

/** `/Date(1503348544227+0000)/` (or ISO) → ISO 8601; undefined when unreadable. */
export function parseXeroDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value)?.[1];
  const date = ms !== undefined ? new Date(Number(ms)) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
