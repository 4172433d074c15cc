import { z } from 'zod';
import { XeroValidationError } from './contact.schema.js';

/** Xero's invoices, credit notes and payments as this connector reads them (reference §3). Unknown keys are ignored. */

const text = z.string().nullish();
const amount = z.union([z.number(), z.string()]).nullish();
const contactRef = z.object({ ContactID: z.string().optional() }).nullish();

export const XeroLineItem = z.object({
  Description: text,
  Quantity: amount,
  UnitAmount: amount,
  LineAmount: amount,
  TaxAmount: amount,
  AccountCode: text,
  ItemCode: text,
  TaxType: text,
});
export type XeroLineItem = z.infer<typeof XeroLineItem>;

const PaymentSummary = z.object({ PaymentID: z.string(), Date: text, Amount: amount, Reference: text });

const documentFields = {
  Type: z.string().optional(),
  Reference: text,
  Contact: contactRef,
  DateString: text,
  Date: text,
  DueDateString: text,
  DueDate: text,
  Status: z.string().optional(),
  LineAmountTypes: text,
  LineItems: z.array(XeroLineItem).nullish(),
  SubTotal: amount,
  TotalTax: amount,
  Total: amount,
  CurrencyCode: text,
  UpdatedDateUTC: text,
  HasErrors: z.boolean().nullish(),
  StatusAttributeString: text,
  ValidationErrors: z.array(XeroValidationError).nullish(),
};

export const XeroInvoice = z.object({
  ...documentFields,
  InvoiceID: z.string().optional(),
  InvoiceNumber: text,
  AmountDue: amount,
  AmountPaid: amount,
  AmountCredited: amount,
  Payments: z.array(PaymentSummary).nullish(),
});
export type XeroInvoice = z.infer<typeof XeroInvoice>;

export const XeroCreditNote = z.object({
  ...documentFields,
  CreditNoteID: z.string().optional(),
  CreditNoteNumber: text,
  RemainingCredit: amount,
});
export type XeroCreditNote = z.infer<typeof XeroCreditNote>;

export const XeroPayment = z.object({
  PaymentID: z.string().optional(),
  Date: text,
  Amount: amount,
  Reference: text,
  Status: text,
  PaymentType: text,
  UpdatedDateUTC: text,
  Invoice: z
    .object({ InvoiceID: z.string().optional(), InvoiceNumber: text, Type: text, CurrencyCode: text, Contact: contactRef })
    .nullish(),
  HasValidationErrors: z.boolean().nullish(),
  StatusAttributeString: text,
  ValidationErrors: z.array(XeroValidationError).nullish(),
});
export type XeroPayment = z.infer<typeof XeroPayment>;

const pagination = z.object({ page: z.number().optional(), pageCount: z.number().optional() }).nullish();
export const XeroInvoicesEnvelope = z.object({ Invoices: z.array(XeroInvoice).default([]), pagination });
export const XeroCreditNotesEnvelope = z.object({ CreditNotes: z.array(XeroCreditNote).default([]), pagination });
export const XeroPaymentsEnvelope = z.object({ Payments: z.array(XeroPayment).default([]), pagination });

/** The three document collections this connector writes and reads. */
export type XeroCollection = 'Invoices' | 'CreditNotes' | 'Payments';
