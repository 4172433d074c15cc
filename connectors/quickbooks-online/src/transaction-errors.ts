import { type ConnectorError, ConnectorErrors } from '@ledgerlink/connector-sdk';
import { errorFromResponse, parseFault } from './errors.js';

/**
 * Faults of transaction writes (one batch item's `Fault`, or a whole answer) as ConnectorErrors
 * naming the canonical Transaction field: 610 (unknown or inactive reference) → validation of the
 * field holding the reference; 6140 (DocNumber in use) → duplicate with the holder's id; 5010 →
 * stale; 429/3001 → rate_limited.
 */

const FIELD_BY_ELEMENT: readonly [RegExp, string][] = [
  [/(^|\.)(CustomerRef|VendorRef)$/i, 'contactId'],
  [/ItemRef$/i, 'lines.itemCode'],
  [/AccountRef$/i, 'lines.accountCode'],
  [/TaxCodeRef$/i, 'lines.taxCode'],
  [/(SalesTermRef|TermRef)$/i, 'paymentTerms'],
  [/^(DocNumber|PaymentRefNum)$/i, 'number'],
  [/^TxnDate$/i, 'issueDate'],
  [/^(DueDate|ExpirationDate)$/i, 'dueDate'],
  [/^CurrencyRef$/i, 'currency'],
  [/^PrivateNote$/i, 'memo'],
  [/^TotalAmt$/i, 'total'],
  [/^Line(\.|$)/i, 'lines'],
];

/** The canonical Transaction field behind a QBO element ("Line.SalesItemLineDetail.ItemRef" → "lines.itemCode"). */
export function transactionFieldOf(element: string | undefined): string | undefined {
  if (!element) return undefined;
  const path = element.trim().replace(/^(Invoice|Bill|Payment|CreditMemo|SalesReceipt|Estimate)\./, '');
  return FIELD_BY_ELEMENT.find(([pattern]) => pattern.test(path))?.[1];
}

/** "DocNumber=1001 is assigned to TxnType=Invoice with TxnId=42" → "42". */
export function holderIdFromDetail(detail: string | undefined): string | undefined {
  return detail ? /\bTxnId\s*=\s*(\d+)/i.exec(detail)?.[1] : undefined;
}

export function transactionFaultError(body: unknown, operation: 'create' | 'update', status = 400): ConnectorError {
  const text = JSON.stringify(body);
  const fault = parseFault(body, text);
  const base = errorFromResponse({ status, headers: {}, body, text });
  const code = base.providerCode;
  const extra = code !== undefined ? { providerCode: code } : {};
  const field = transactionFieldOf(fault?.element) ?? transactionFieldOf(/\b(CustomerRef|VendorRef|ItemRef|AccountRef|DocNumber|TxnDate|DueDate)\b/.exec(`${fault?.detail ?? ''} ${fault?.message ?? ''}`)?.[1]);
  if (code === '610') {
    if (field) return ConnectorErrors.validation(field, `QuickBooks does not know the record ${field} refers to, or it is inactive; fix or reactivate it (${base.message})`, extra);
    if (operation === 'update') return ConnectorErrors.notFound(`QuickBooks has no such transaction any more (deleted?): ${base.message}`, extra);
    return ConnectorErrors.validation('transaction', `QuickBooks could not find a record the transaction refers to: ${base.message}`, extra);
  }
  if (code === '6140') {
    return ConnectorErrors.duplicate(holderIdFromDetail(fault?.detail), `The document number is already used in QuickBooks; choose another number or link to the existing document: ${base.message}`, {
      ...extra,
      field: 'number',
    });
  }
  if (base.kind === 'validation') return ConnectorErrors.validation(field ?? 'transaction', base.message, extra);
  return base;
}
