import { fromMinorUnits, toMinorUnits, Transaction, type RemoteTransaction } from '@ledgerlink/connector-sdk';
import type { VendorInvoice, VendorInvoiceWrite } from '../vendor/contact.schema.js';

/** A vendor invoice → RemoteTransaction, decimal strings → integer minor units (pure). */
export function fromVendorInvoice(invoice: VendorInvoice, deepLink?: string): RemoteTransaction {
  const minor = (value: string) => toMinorUnits(value, invoice.currency);
  const total = minor(invoice.total);
  const amountDue = minor(invoice.amountDue);
  return {
    id: invoice.id,
    contactId: invoice.contactId,
    status: invoice.status === 'open' && amountDue > 0 && amountDue < total ? 'partially_paid' : invoice.status,
    updatedAt: invoice.updatedAt,
    ...(deepLink ? { deepLink } : {}),
    transaction: Transaction.parse({
      type: 'invoice',
      number: invoice.number,
      issueDate: invoice.issueDate,
      ...(invoice.dueDate ? { dueDate: invoice.dueDate } : {}),
      currency: invoice.currency,
      lines: invoice.lines.map((line) => ({ ...(line.description ? { description: line.description } : {}), quantity: line.quantity, unitAmount: minor(line.unitPrice), amount: minor(line.amount) })),
      total,
      amountDue,
      ...(invoice.reference ? { reference: invoice.reference } : {}),
      status: invoice.status,
    }),
  };
}

/** A canonical Transaction → what the API accepts (pure), minor units → decimal strings. */
export function toVendorInvoice(contactId: string, transaction: Transaction): VendorInvoiceWrite {
  const decimal = (minor: number) => fromMinorUnits(minor, transaction.currency);
  return {
    contactId,
    issueDate: transaction.issueDate,
    ...(transaction.dueDate ? { dueDate: transaction.dueDate } : {}),
    currency: transaction.currency,
    ...(transaction.reference ? { reference: transaction.reference } : {}),
    lines: transaction.lines.map((line) => ({ ...(line.description ? { description: line.description } : {}), quantity: line.quantity, unitPrice: decimal(line.unitAmount), amount: decimal(line.amount) })),
  };
}
