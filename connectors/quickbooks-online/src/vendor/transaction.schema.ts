import { z } from 'zod';
import { QboMetaData, QboRef } from './name-list.schema.js';

/**
 * QuickBooks Online transaction payloads (Invoice, Bill, Payment, CreditMemo, SalesReceipt,
 * Estimate) as the v3 API returns them, and the Item/Account lists their lines reference. Only
 * the fields the connector reads are declared; unknown fields are dropped.
 */

const Text = z.string().nullish();
const Id = z.union([z.string(), z.number()]).transform(String);
/** QBO sends amounts as JSON numbers; some gateways send strings. Kept as text for exact conversion. */
const Amount = z.union([z.number(), z.string()]).transform(String).nullish();

export const TXN_ENTITIES = ['Invoice', 'Bill', 'Payment', 'CreditMemo', 'SalesReceipt', 'Estimate'] as const;
export type TxnEntity = (typeof TXN_ENTITIES)[number];

const LineDetail = z.object({
  ItemRef: QboRef.nullish(),
  AccountRef: QboRef.nullish(),
  TaxCodeRef: QboRef.nullish(),
  Qty: Amount,
  UnitPrice: Amount,
});

export const QboTxnLine = z.object({
  Id: Id.nullish(),
  Description: Text,
  Amount,
  DetailType: Text,
  SalesItemLineDetail: LineDetail.nullish(),
  ItemBasedExpenseLineDetail: LineDetail.nullish(),
  AccountBasedExpenseLineDetail: LineDetail.nullish(),
  LinkedTxn: z.array(z.object({ TxnId: Id, TxnType: Text })).nullish(),
});
export type QboTxnLine = z.infer<typeof QboTxnLine>;

export const QboTransaction = z.object({
  Id,
  SyncToken: Id.nullish(),
  DocNumber: Text,
  PaymentRefNum: Text,
  TxnDate: Text,
  DueDate: Text,
  ExpirationDate: Text,
  CustomerRef: QboRef.nullish(),
  VendorRef: QboRef.nullish(),
  CurrencyRef: QboRef.nullish(),
  SalesTermRef: QboRef.nullish(),
  TermRef: QboRef.nullish(),
  Line: z.array(QboTxnLine).nullish(),
  TxnTaxDetail: z.object({ TotalTax: Amount }).nullish(),
  TotalAmt: Amount,
  Balance: Amount,
  PrivateNote: Text,
  TxnStatus: Text,
  MetaData: QboMetaData.nullish(),
});
export type QboTransaction = z.infer<typeof QboTransaction>;

export const QboItem = z.object({ Id, Name: z.string(), FullyQualifiedName: Text, Sku: Text, Active: z.boolean().nullish() });
export type QboItem = z.infer<typeof QboItem>;

export const QboAccount = z.object({ Id, Name: z.string(), FullyQualifiedName: Text, AcctNum: Text, Active: z.boolean().nullish() });
export type QboAccount = z.infer<typeof QboAccount>;

/** One answer of `POST /batch`: the entity written, a QueryResponse, or a Fault, under the item's bId. */
export const QboBatchItemResponse = z.object({ bId: z.string() }).catchall(z.unknown());
export const QboBatchResponse = z.object({ BatchItemResponse: z.array(QboBatchItemResponse) });
