import { Transaction, type TransactionInput } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { noteBody, noteIdentity, readNote } from './transaction-note.js';

const tx = (input: Partial<TransactionInput> = {}) => Transaction.parse({ type: 'invoice', issueDate: '2026-11-02', currency: 'USD', total: 1999, ...input });

describe('transaction notes', () => {
  it('identifies a document by its source id first, then type and number, then reference, then the idempotency key', () => {
    const bySource = noteIdentity({ idempotencyKey: 'k1', transaction: tx({ number: '1', customFields: { sourceConnector: 'xero', sourceId: 'abc' } }) });
    expect(noteIdentity({ idempotencyKey: 'k2', transaction: tx({ number: '2', customFields: { sourceConnector: 'xero', sourceId: 'abc' } }) })).toBe(bySource);
    expect(noteIdentity({ idempotencyKey: 'k1', transaction: tx({ number: '1', customFields: { sourceConnector: 'quickbooks-online', sourceId: 'abc' } }) })).not.toBe(bySource);
    const byNumber = noteIdentity({ idempotencyKey: 'k1', transaction: tx({ number: '1001', reference: 'r' }) });
    expect(noteIdentity({ idempotencyKey: 'k9', transaction: tx({ number: '1001', reference: 'other' }) })).toBe(byNumber);
    expect(noteIdentity({ idempotencyKey: 'k9', transaction: tx({ type: 'estimate', number: '1001' }) })).not.toBe(byNumber);
    expect(noteIdentity({ idempotencyKey: 'a', transaction: tx({ reference: 'ref-1' }) })).toBe(noteIdentity({ idempotencyKey: 'b', transaction: tx({ reference: 'ref-1' }) }));
    expect(noteIdentity({ idempotencyKey: 'a', transaction: tx() })).not.toBe(noteIdentity({ idempotencyKey: 'b', transaction: tx() }));
  });

  it('reads back exactly what it wrote, and nothing from notes without a valid marker', () => {
    const transaction = tx({ number: 'INV-7', amountDue: 999, status: 'partially_paid', memo: 'Thanks "Zoë" <3', customFields: { deepLink: 'https://go.xero.com/x?a=1&b=2' } });
    const body = noteBody('id123', transaction);
    expect(body).toContain('href="https://go.xero.com/x?a=1&amp;b=2"');
    expect(body).toContain('Partially paid');
    expect(body).toContain('USD 19.99');
    expect(readNote(body)).toEqual({ identity: 'id123', transaction });
    expect(readNote('Called the customer about ledgerlink')).toBeUndefined();
    expect(readNote('ledgerlink:v1:abc:not-json-at-all')).toBeUndefined();
    expect(readNote(`ledgerlink:v1:abc:${Buffer.from(JSON.stringify({ type: 'invoice', total: 1.5 })).toString('base64url')}`)).toBeUndefined();
    expect(readNote(null)).toBeUndefined();
  });
});
