import { z } from 'zod';
import type { NameKind } from './name-rules.js';

/** Customer and Vendor payload shapes (zod), checked before any business rule. */
const text = z.string().nullish();
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).nullish();
const decimal = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]).nullish();
const ref = z.looseObject({ value: z.string(), name: z.string().optional() }).nullish();
const email = z.looseObject({ Address: text }).nullish();
const phone = z.looseObject({ FreeFormNumber: text }).nullish();
const web = z.looseObject({ URI: text }).nullish();
const address = z
  .looseObject({
    Id: z.union([z.string(), z.number().transform(String)]).nullish(),
    Line1: text,
    Line2: text,
    Line3: text,
    Line4: text,
    Line5: text,
    City: text,
    Country: text,
    CountrySubDivisionCode: text,
    PostalCode: text,
    Lat: text,
    Long: text,
  })
  .nullish();
const idLike = z.union([z.string(), z.number().int().transform(String)]).optional();

const nameBase = {
  Id: idLike,
  SyncToken: idLike,
  sparse: bool,
  Title: text,
  GivenName: text,
  MiddleName: text,
  FamilyName: text,
  Suffix: text,
  DisplayName: text,
  CompanyName: text,
  PrintOnCheckName: text,
  Active: bool,
  PrimaryPhone: phone,
  AlternatePhone: phone,
  Mobile: phone,
  Fax: phone,
  PrimaryEmailAddr: email,
  WebAddr: web,
  DefaultTaxCodeRef: ref,
  Notes: text,
  BillAddr: address,
  CurrencyRef: ref,
  Balance: decimal,
};

export const CustomerBody = z.looseObject({
  ...nameBase,
  ShipAddr: address,
  Taxable: bool,
  Job: bool,
  BillWithParent: bool,
  ParentRef: ref,
  SalesTermRef: ref,
  PaymentMethodRef: ref,
  CustomerTypeRef: ref,
  PreferredDeliveryMethod: z.enum(['Print', 'Email', 'None']).nullish(),
  ResaleNum: text,
});

export const VendorBody = z.looseObject({
  ...nameBase,
  AcctNum: text,
  TaxIdentifier: text,
  Vendor1099: bool,
  TermRef: ref,
  BillRate: decimal,
  CostRate: decimal,
});

export const EmployeeBody = z.looseObject({
  ...nameBase,
  PrimaryAddr: address,
  EmployeeNumber: text,
  SSN: text,
  BillableTime: bool,
  BillRate: decimal,
  CostRate: decimal,
  Gender: text,
  BirthDate: text,
  HiredDate: text,
  ReleasedDate: text,
});

const INTUIT_ENTITY = ['Id', 'SyncToken', 'MetaData', 'CustomField', 'AttachableRef', 'domain', 'status', 'sparse'];
const NAME_BASE = [
  'IntuitId', 'Organization', 'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'FullyQualifiedName', 'CompanyName',
  'DisplayName', 'PrintOnCheckName', 'UserId', 'Active', 'V4IDPseudonym', 'PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax',
  'PrimaryEmailAddr', 'WebAddr', 'OtherContactInfo', 'DefaultTaxCodeRef',
];

/** Every property Intuit's XSD (IntuitNamesTypes.xsd) gives each entity; anything else is a 2010 fault. */
export const KNOWN_PROPERTIES: Readonly<Record<NameKind, ReadonlySet<string>>> = {
  Customer: new Set([
    ...INTUIT_ENTITY, ...NAME_BASE,
    'Taxable', 'BillAddr', 'ShipAddr', 'OtherAddr', 'ContactName', 'AltContactName', 'Notes', 'Job', 'BillWithParent',
    'RootCustomerRef', 'ParentRef', 'Level', 'CustomerTypeRef', 'SalesTermRef', 'SalesRepRef', 'TaxGroupCodeRef', 'TaxRateRef',
    'PaymentMethodRef', 'CCDetail', 'PriceLevelRef', 'Balance', 'OpenBalanceDate', 'BalanceWithJobs', 'CreditLimit', 'AcctNum',
    'CurrencyRef', 'OverDueBalance', 'TotalRevenue', 'TotalExpense', 'PreferredDeliveryMethod', 'ResaleNum', 'JobInfo',
    'TDSEnabled', 'CustomerEx', 'SecondaryTaxIdentifier', 'ARAccountRef', 'PrimaryTaxIdentifier', 'TaxExemptionReasonId',
    'IsProject', 'BusinessNumber', 'GSTIN', 'GSTRegistrationType', 'IsCISContractor', 'ClientCompanyId', 'ClientEntityId',
    'Source', 'TaxRegime',
  ]),
  Vendor: new Set([
    ...INTUIT_ENTITY, ...NAME_BASE,
    'ContactName', 'AltContactName', 'Notes', 'BillAddr', 'ShipAddr', 'OtherAddr', 'TaxCountry', 'TaxIdentifier',
    'TaxIdEffectiveDate', 'BusinessNumber', 'ParentRef', 'VendorTypeRef', 'TermRef', 'PrefillAccountRef', 'Balance', 'BillRate',
    'OpenBalanceDate', 'CreditLimit', 'AcctNum', 'Vendor1099', 'T4AEligible', 'T5018Eligible', 'CurrencyRef', 'TDSEnabled',
    'TDSEntityTypeId', 'TDSSectionTypeId', 'TDSOverrideThreshold', 'TaxReportingBasis', 'APAccountRef', 'VendorEx', 'GSTIN',
    'GSTRegistrationType', 'IsSubContractor', 'SubcontractorType', 'CISRate', 'HasTPAR', 'VendorPaymentBankDetail', 'Source',
    'CostRate',
  ]),
  Employee: new Set([
    ...INTUIT_ENTITY, ...NAME_BASE,
    'EmployeeType', 'EmployeeNumber', 'SSN', 'PrimaryAddr', 'OtherAddr', 'BillableTime', 'BillRate', 'BirthDate', 'Gender',
    'HiredDate', 'ReleasedDate', 'UseTimeEntry', 'EmployeeEx', 'CostRate',
  ]),
};

/** Properties QBO computes: accepted in a request (a full update echoes them back) and ignored. */
export const SYSTEM_PROPERTIES: Readonly<Record<NameKind, ReadonlySet<string>>> = {
  Customer: new Set([
    'Id', 'SyncToken', 'MetaData', 'domain', 'status', 'sparse', 'FullyQualifiedName', 'V4IDPseudonym', 'IntuitId', 'Level',
    'BalanceWithJobs', 'OverDueBalance', 'TotalRevenue', 'TotalExpense', 'IsProject', 'RootCustomerRef', 'ClientEntityId',
  ]),
  Vendor: new Set(['Id', 'SyncToken', 'MetaData', 'domain', 'status', 'sparse', 'FullyQualifiedName', 'V4IDPseudonym', 'IntuitId', 'Balance']),
  Employee: new Set(['Id', 'SyncToken', 'MetaData', 'domain', 'status', 'sparse', 'V4IDPseudonym', 'IntuitId']),
};

/** Properties that may only be set when the entity is created (later values are ignored). */
export const CREATE_ONLY_PROPERTIES: ReadonlySet<string> = new Set(['Balance', 'OpenBalanceDate', 'CurrencyRef']);
