import { Transaction } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { QboTransaction } from '../vendor/transaction.schema.js';
import { fromQboTransaction, markerFor, splitPrivateNote, toQboTransaction } from './transactions.js';

const invoice = Transaction.parse({
  type: 'invoice',
  number: 'INV-1',
  issueDate: '2026-11-01',
  dueDate: '2026-12-01',
  currency: 'USD',
  lines: [
    { description: 'Three at 19.99', quantity: 3, unitAmount: 1999, amount: 5997 },
    { description: 'Rounded', quantity: 3, unitAmount: 33, amount: 100 },
  ],
  total: 6097,
  memo: 'Internal note',
});

describe('canonical → QBO transactions', () => {
  it('writes exact decimal amounts, the party, the number and the idempotency marker', () => {
    const body = toQboTransaction(invoice, { contactId: '58', requestId: 'key-1', lineRefs: [{ item: { value: '3', name: 'Consulting' } }, {}], termId: '3' });
    expect(body).toEqual({
      CustomerRef: { value: '58' },
      TxnDate: '2026-11-01',
      DueDate: '2026-12-01',
      DocNumber: 'INV-1',
      CurrencyRef: { value: 'USD' },
      SalesTermRef: { value: '3' },
      PrivateNote: 'Internal note\n[ledgerlink:key-1]',
      Line: [
        { Description: 'Three at 19.99', Amount: 59.97, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '3', name: 'Consulting' }, Qty: 3, UnitPrice: 19.99 } },
        // 3 × 0.33 is not 1.00: only the amount is sent, so QBO does not refuse or recompute it.
        { Description: 'Rounded', Amount: 1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: {} },
      ],
    });
  });

  it('uses the currency exponent (JPY has no minor unit, KWD three)', () => {
    const yen = Transaction.parse({ type: 'sales_receipt', issueDate: '2026-11-01', currency: 'JPY', lines: [{ quantity: 1, unitAmount: 1500, amount: 1500 }], total: 1500 });
    expect((toQboTransaction(yen, { contactId: '1', requestId: 'k', lineRefs: [] }).Line as { Amount: number }[])[0]?.Amount).toBe(1500);
    const dinar = Transaction.parse({ type: 'payment', issueDate: '2026-11-01', currency: 'KWD', total: 1005 });
    expect(toQboTransaction(dinar, { contactId: '1', requestId: 'k', lineRefs: [] }).TotalAmt).toBe(1.005);
  });

  it('refuses what QBO would change or refuse, naming the field', () => {
    const attempt = (input: Partial<Transaction>) => () => toQboTransaction({ ...invoice, ...input }, { contactId: '1', requestId: 'k', lineRefs: [] });
    expect(attempt({ total: 1 })).toThrow(expect.objectContaining({ kind: 'validation', field: 'total' }));
    expect(attempt({ lines: [], total: 0 })).toThrow(expect.objectContaining({ kind: 'validation', field: 'lines' }));
    expect(attempt({ status: 'draft' })).toThrow(expect.objectContaining({ kind: 'validation', field: 'status' }));
    const bill = Transaction.parse({ type: 'bill', issueDate: '2026-11-01', currency: 'USD', lines: [{ quantity: 1, unitAmount: 5, amount: 5 }], total: 5 });
    expect(() => toQboTransaction(bill, { contactId: '1', requestId: 'k', lineRefs: [{}] })).toThrow(expect.objectContaining({ kind: 'validation', field: 'lines[0].accountCode' }));
  });
});

describe('QBO → canonical transactions', () => {
  const raw = (fields: Record<string, unknown>) =>
    QboTransaction.parse({ Id: '130', SyncToken: '2', CustomerRef: { value: '58', name: 'Acme' }, CurrencyRef: { value: 'USD' }, TxnDate: '2026-11-01', MetaData: { LastUpdatedTime: '2026-11-02T10:00:00-08:00' }, ...fields });

  it('reads amounts in minor units, strips the marker from the memo and links into QBO', () => {
    const remote = fromQboTransaction(
      'Invoice',
      raw({
        TotalAmt: 100.1,
        Balance: 100.1,
        PrivateNote: `Note\n${markerFor('abc')}`,
        Line: [
          { Amount: 100.1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' }, Qty: 7, UnitPrice: 14.3 } },
          { Amount: 100.1, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
        ],
      }),
      'https://app.example/app',
    );
    expect(remote).toMatchObject({ id: '130', version: '2', contactId: '58', status: 'open', updatedAt: '2026-11-02T18:00:00.000Z', deepLink: 'https://app.example/app/invoice?txnId=130' });
    expect(remote.transaction).toMatchObject({ total: 10010, amountDue: 10010, subtotal: 10010, memo: 'Note', lines: [{ quantity: 7, unitAmount: 1430, amount: 10010, itemCode: 'Services' }] });
  });

  it('derives paid, partially paid and void from the balance and QBO\'s void marks', () => {
    const status = (fields: Record<string, unknown>) => fromQboTransaction('Invoice', raw(fields), 'x').status;
    expect(status({ TotalAmt: 50, Balance: 0 })).toBe('paid');
    expect(status({ TotalAmt: 50, Balance: 20 })).toBe('partially_paid');
    expect(status({ TotalAmt: 50, Balance: 50 })).toBe('open');
    expect(status({ TotalAmt: 0, Balance: 0, PrivateNote: 'Voided' })).toBe('void');
  });

  it('splits a PrivateNote into memo and marker', () => {
    expect(splitPrivateNote(`Hello\n${markerFor('k-1')}`)).toEqual({ memo: 'Hello', marker: 'k-1' });
    expect(splitPrivateNote(markerFor('k-1'))).toEqual({ marker: 'k-1' });
    expect(splitPrivateNote('Just a note')).toEqual({ memo: 'Just a note' });
  });
});
