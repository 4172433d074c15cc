import { Transaction } from '@ledgerlink/connector-sdk';
import type { z } from 'zod';
import type { UpsertTransactionRequest as UpsertSchema } from '@ledgerlink/contract';
import { sha256Hex, stableStringify } from '../common/hashing.js';

export type UpsertTransactionBody = z.output<typeof UpsertSchema>;

/** The canonical Transaction (connector-sdk model) of a request body: everything but the hub's own fields. */
export function toCanonicalTransaction(body: UpsertTransactionBody): Transaction {
  const { contactExternalId: _contact, ready: _ready, ...transaction } = body;
  return Transaction.parse(transaction);
}

/** SHA-256 of the canonical content plus the contact it belongs to: what decides "changed". */
export function transactionHash(canonical: Transaction, contactId: string): string {
  return sha256Hex(stableStringify({ contactId, transaction: canonical }));
}
