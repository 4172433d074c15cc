import { createHash } from 'node:crypto';
import { fromMinorUnits, Transaction, type PushTransactionItem, type TransactionType } from '@ledgerlink/connector-sdk';

/**
 * An accounting document as a HubSpot note (decision 0006). The body is HTML a person reads on
 * the contact's timeline, ending in a marker line `ledgerlink:v1:<id>:<data>`: `<id>` is the
 * document's identity (found again for updates), `<data>` the transaction as base64url JSON (read
 * back exactly, in minor units).
 *
 * Identity, first that applies: `customFields.sourceConnector` + `customFields.sourceId` (the
 * accounting provider and its document id); the type and `number`; `reference`; the push's
 * idempotency key. Link back: `customFields.deepLink`, else `reference` when it is an http(s) URL.
 */
export const MARKER = 'ledgerlink:v1:';

const SOURCE_NAMES: Readonly<Record<string, string>> = { 'quickbooks-online': 'QuickBooks Online', xero: 'Xero' };
const TYPE_LABELS: Readonly<Record<TransactionType, string>> = {
  invoice: 'Invoice',
  bill: 'Bill',
  payment: 'Payment',
  bill_payment: 'Bill payment',
  credit_note: 'Credit note',
  sales_receipt: 'Sales receipt',
  estimate: 'Estimate',
};
const STATUS_LABELS: Readonly<Record<string, string>> = { draft: 'Draft', open: 'Open', partially_paid: 'Partially paid', paid: 'Paid', void: 'Voided' };

/** The document's identity on the contact (hashed, so any characters are safe in the marker). */
export function noteIdentity(item: Pick<PushTransactionItem, 'idempotencyKey' | 'transaction'>): string {
  const t = item.transaction;
  const source = t.customFields.sourceConnector?.trim() ?? '';
  const sourceId = t.customFields.sourceId?.trim();
  const basis = sourceId ? `source:${source}:${t.type}:${sourceId}` : t.number ? `number:${source}:${t.type}:${t.number}` : t.reference ? `reference:${source}:${t.type}:${t.reference}` : `key:${item.idempotencyKey}`;
  return createHash('sha256').update(basis, 'utf8').digest('base64url').slice(0, 22);
}

/** The link back to the accounting provider, when the transaction carries one. */
export function deepLinkOf(transaction: Transaction): string | undefined {
  const candidates = [transaction.customFields.deepLink, transaction.reference];
  return candidates.find((c): c is string => c !== undefined && /^https?:\/\/\S+$/i.test(c.trim()))?.trim();
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The note body: what a person reads, then the marker line. */
export function noteBody(identity: string, transaction: Transaction): string {
  const t = transaction;
  const money = (minor: number) => `${t.currency} ${fromMinorUnits(minor, t.currency)}`;
  const title = `${TYPE_LABELS[t.type]}${t.number ? ` ${t.number}` : ''}`;
  const source = t.customFields.sourceConnector ? SOURCE_NAMES[t.customFields.sourceConnector] ?? t.customFields.sourceConnector : 'the accounting system';
  const link = deepLinkOf(t);
  const lines = [
    `<p><strong>${escape(title)}</strong> — ${escape(STATUS_LABELS[t.status] ?? t.status)}</p>`,
    `<p>Issued ${escape(t.issueDate)}${t.dueDate ? ` · due ${escape(t.dueDate)}` : ''}</p>`,
    `<p>Total ${escape(money(t.total))}${t.taxTotal !== undefined ? ` (tax ${escape(money(t.taxTotal))})` : ''}${t.amountDue !== undefined ? ` · amount due ${escape(money(t.amountDue))}` : ''}</p>`,
    ...(t.reference && t.reference !== link ? [`<p>Reference: ${escape(t.reference)}</p>`] : []),
    ...(t.memo ? [`<p>${escape(t.memo)}</p>`] : []),
    ...(link ? [`<p><a href="${escape(link)}">Open in ${escape(source)}</a></p>`] : []),
    `<p>${MARKER}${identity}:${Buffer.from(JSON.stringify(t), 'utf8').toString('base64url')}</p>`,
  ];
  return lines.join('');
}

/** The identity and transaction a note's marker holds, or undefined for notes Ledgerlink did not write. */
export function readNote(body: string | null | undefined): { identity: string; transaction: Transaction } | undefined {
  const match = new RegExp(`${MARKER}([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)`).exec(body ?? '');
  if (!match) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(match[2] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = Transaction.safeParse(json);
  return parsed.success ? { identity: match[1] ?? '', transaction: parsed.data } : undefined;
}

/** The note's timeline time: the document's issue date (midnight UTC). */
export function noteTimestamp(transaction: Transaction): string {
  return `${transaction.issueDate}T00:00:00.000Z`;
}

export const NOTE_PROPERTIES = ['hs_note_body', 'hs_timestamp', 'hs_lastmodifieddate'] as const;
