import { z } from 'zod';

/**
 * QuickBooks Online Customer and Vendor payloads as the v3 API returns them (JSON, minor
 * version 75). Only the fields the connector reads are declared; unknown fields are dropped.
 * Everything but Id is optional because QBO omits empty fields.
 */

const Text = z.string().nullish();

export const QboRef = z.object({ value: z.string(), name: Text });
export type QboRef = z.infer<typeof QboRef>;

export const QboPhysicalAddress = z.object({
  Id: Text,
  Line1: Text,
  Line2: Text,
  Line3: Text,
  Line4: Text,
  Line5: Text,
  City: Text,
  CountrySubDivisionCode: Text,
  PostalCode: Text,
  Country: Text,
});
export type QboPhysicalAddress = z.infer<typeof QboPhysicalAddress>;

export const QboEmailAddress = z.object({ Address: Text });
export const QboTelephoneNumber = z.object({ FreeFormNumber: Text });
export const QboWebSiteAddress = z.object({ URI: Text });

export const QboMetaData = z.object({ CreateTime: Text, LastUpdatedTime: Text });

const nameListFields = {
  Id: z.union([z.string(), z.number()]).transform(String),
  SyncToken: z.union([z.string(), z.number()]).transform(String).nullish(),
  Active: z.boolean().nullish(),
  DisplayName: Text,
  Title: Text,
  GivenName: Text,
  MiddleName: Text,
  FamilyName: Text,
  Suffix: Text,
  CompanyName: Text,
  PrintOnCheckName: Text,
  PrimaryEmailAddr: QboEmailAddress.nullish(),
  PrimaryPhone: QboTelephoneNumber.nullish(),
  AlternatePhone: QboTelephoneNumber.nullish(),
  Mobile: QboTelephoneNumber.nullish(),
  Fax: QboTelephoneNumber.nullish(),
  WebAddr: QboWebSiteAddress.nullish(),
  BillAddr: QboPhysicalAddress.nullish(),
  Notes: Text,
  CurrencyRef: QboRef.nullish(),
  MetaData: QboMetaData.nullish(),
  /**
   * Merge marker. QBO's API does not document how a merged-away name reads back (reference §2.5);
   * the connector treats any of these survivor references on an inactive record as "merged".
   */
  MergedIntoRef: QboRef.nullish(),
  MergedInto: z.union([z.string(), z.number()]).transform(String).nullish(),
  status: Text,
};

export const QboCustomer = z.object({
  ...nameListFields,
  ShipAddr: QboPhysicalAddress.nullish(),
  SalesTermRef: QboRef.nullish(),
  PrimaryTaxIdentifier: Text,
});
export type QboCustomer = z.infer<typeof QboCustomer>;

export const QboVendor = z.object({
  ...nameListFields,
  TermRef: QboRef.nullish(),
  TaxIdentifier: Text,
});
export type QboVendor = z.infer<typeof QboVendor>;

export const QboTerm = z.object({
  Id: z.union([z.string(), z.number()]).transform(String),
  Name: z.string(),
  Active: z.boolean().nullish(),
});
export type QboTerm = z.infer<typeof QboTerm>;

export const QboCompanyInfo = z.object({
  Id: z.union([z.string(), z.number()]).transform(String).nullish(),
  CompanyName: Text,
  LegalName: Text,
});
export type QboCompanyInfo = z.infer<typeof QboCompanyInfo>;

/** Write payloads (what the mappers produce). */
export interface QboPhysicalAddressWrite {
  Line1?: string;
  Line2?: string;
  Line3?: string;
  Line4?: string;
  Line5?: string;
  City?: string;
  CountrySubDivisionCode?: string;
  PostalCode?: string;
  Country?: string;
}

export interface QboNameListWrite {
  Id?: string;
  SyncToken?: string;
  sparse?: boolean;
  DisplayName?: string;
  Title?: string;
  GivenName?: string;
  MiddleName?: string;
  FamilyName?: string;
  Suffix?: string;
  CompanyName?: string;
  PrimaryEmailAddr?: { Address: string };
  PrimaryPhone?: { FreeFormNumber: string };
  AlternatePhone?: { FreeFormNumber: string };
  Mobile?: { FreeFormNumber: string };
  Fax?: { FreeFormNumber: string };
  WebAddr?: { URI: string };
  BillAddr?: QboPhysicalAddressWrite;
  ShipAddr?: QboPhysicalAddressWrite;
  Notes?: string;
  CurrencyRef?: { value: string };
  SalesTermRef?: { value: string };
  TermRef?: { value: string };
  PrimaryTaxIdentifier?: string;
  TaxIdentifier?: string;
}
