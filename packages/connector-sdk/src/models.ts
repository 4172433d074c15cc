import { z } from 'zod';

/** Canonical models shared by every connector. Money is integer minor units + ISO currency. */

export const ContactKind = z.enum(['customer', 'supplier']);
export type ContactKind = z.infer<typeof ContactKind>;

export const EmailAddress = z.object({
  address: z.string().min(3).max(320),
  type: z.enum(['primary', 'work', 'personal', 'other']).default('primary'),
});
export type EmailAddress = z.infer<typeof EmailAddress>;

export const Phone = z.object({
  number: z.string().min(1).max(40),
  type: z.enum(['primary', 'mobile', 'fax', 'work', 'other']).default('primary'),
});
export type Phone = z.infer<typeof Phone>;

export const Address = z.object({
  type: z.enum(['billing', 'shipping']),
  lines: z.array(z.string().max(500)).max(5).default([]),
  city: z.string().max(255).optional(),
  region: z.string().max(255).optional(),
  postalCode: z.string().max(30).optional(),
  country: z.string().max(255).optional(),
});
export type Address = z.infer<typeof Address>;

export const Contact = z.object({
  kind: ContactKind,
  displayName: z.string().max(500).optional(),
  title: z.string().max(16).optional(),
  givenName: z.string().max(100).optional(),
  middleName: z.string().max(100).optional(),
  familyName: z.string().max(100).optional(),
  suffix: z.string().max(16).optional(),
  companyName: z.string().max(255).optional(),
  emails: z.array(EmailAddress).default([]),
  phones: z.array(Phone).default([]),
  addresses: z.array(Address).default([]),
  website: z.string().max(1000).optional(),
  taxNumber: z.string().max(50).optional(),
  paymentTerms: z.string().max(100).optional(),
  currency: z.string().length(3).optional(),
  notes: z.string().max(4000).optional(),
  customFields: z.record(z.string(), z.string()).default({}),
});
export type Contact = z.infer<typeof Contact>;
export type ContactInput = z.input<typeof Contact>;

/** Lifecycle of a contact as the remote system reports it. */
export const RemoteStatus = z.enum(['active', 'inactive', 'archived', 'merged', 'deleted']);
export type RemoteStatus = z.infer<typeof RemoteStatus>;

/** A contact as it exists in the remote system, mapped to the canonical model. */
export interface RemoteContact {
  /** The remote system's id. */
  readonly id: string;
  /** Opaque version (QBO SyncToken, Xero UpdatedDateUTC, HubSpot updatedAt). */
  readonly version?: string;
  readonly status: RemoteStatus;
  /** Where a merged contact went, when the remote system tells. */
  readonly mergedIntoId?: string;
  readonly updatedAt?: string;
  readonly contact: Contact;
}

export const TransactionType = z.enum(['invoice', 'bill', 'payment', 'bill_payment', 'credit_note', 'sales_receipt', 'estimate']);
export type TransactionType = z.infer<typeof TransactionType>;

export const TransactionLine = z.object({
  description: z.string().max(4000).optional(),
  quantity: z.number().finite().default(1),
  /** Unit price in minor units. */
  unitAmount: z.number().int(),
  /** Line total in minor units, before tax. */
  amount: z.number().int(),
  /** Tax on this line in minor units, when the provider reports it per line. */
  taxAmount: z.number().int().optional(),
  itemCode: z.string().max(100).optional(),
  accountCode: z.string().max(100).optional(),
  taxCode: z.string().max(100).optional(),
});
export type TransactionLine = z.infer<typeof TransactionLine>;
export type TransactionLineInput = z.input<typeof TransactionLine>;

/** Lifecycle of a transaction. `partially_paid`/`paid` apply to invoices and bills. */
export const TransactionStatus = z.enum(['draft', 'open', 'partially_paid', 'paid', 'void']);
export type TransactionStatus = z.infer<typeof TransactionStatus>;

export const Transaction = z.object({
  type: TransactionType,
  number: z.string().max(21).optional(),
  issueDate: z.iso.date(),
  dueDate: z.iso.date().optional(),
  /** ISO 4217 code; every amount of the transaction is in minor units of it. */
  currency: z.string().length(3),
  lines: z.array(TransactionLine).default([]),
  /** Sum of the lines before tax, in minor units (when known). */
  subtotal: z.number().int().optional(),
  /** Total tax in minor units (when known). */
  taxTotal: z.number().int().optional(),
  /** Total in minor units. */
  total: z.number().int(),
  /** What is still owed, in minor units (invoices and bills; absent when unknown). */
  amountDue: z.number().int().optional(),
  /** Payment terms by name (e.g. "Net 30"), as on Contact. */
  paymentTerms: z.string().max(100).optional(),
  reference: z.string().max(255).optional(),
  memo: z.string().max(4000).optional(),
  status: TransactionStatus.default('open'),
  customFields: z.record(z.string(), z.string()).default({}),
});
export type Transaction = z.infer<typeof Transaction>;
export type TransactionInput = z.input<typeof Transaction>;

/** A transaction as it exists in the remote system, mapped to the canonical model. */
export interface RemoteTransaction {
  readonly id: string;
  /** Opaque version (QBO SyncToken, Xero UpdatedDateUTC). */
  readonly version?: string;
  /** The remote contact it belongs to. */
  readonly contactId: string;
  /** `status` of the transaction, plus `deleted` when the remote system removed it. */
  readonly status: TransactionStatus | 'deleted';
  readonly updatedAt?: string;
  /** A link into the provider's web app, when it has one. */
  readonly deepLink?: string;
  readonly transaction: Transaction;
}
