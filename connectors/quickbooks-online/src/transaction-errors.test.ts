import { describe, expect, it } from 'vitest';
import { holderIdFromDetail, transactionFaultError, transactionFieldOf } from './transaction-errors.js';

const fault = (code: string, element?: string, detail = 'detail') => ({ Fault: { type: 'ValidationFault', Error: [{ Message: 'message', Detail: detail, code, ...(element ? { element } : {}) }] } });

describe('QBO transaction faults', () => {
  it('610 on a reference is a validation error of the canonical field holding it', () => {
    expect(transactionFaultError(fault('610', 'CustomerRef'), 'create')).toMatchObject({ kind: 'validation', field: 'contactId', providerCode: '610' });
    expect(transactionFaultError(fault('610', 'Line.SalesItemLineDetail.ItemRef'), 'create')).toMatchObject({ kind: 'validation', field: 'lines.itemCode' });
    expect(transactionFaultError(fault('610', 'Line.AccountBasedExpenseLineDetail.AccountRef'), 'create')).toMatchObject({ kind: 'validation', field: 'lines.accountCode' });
    expect(transactionFaultError(fault('610'), 'update')).toMatchObject({ kind: 'not_found' });
  });

  it('6140 is a duplicate number naming the document that holds it; 5010 is stale; 6000 names the field', () => {
    const detail = 'Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=1001 is assigned to TxnType=Invoice with TxnId=42';
    expect(transactionFaultError(fault('6140', 'DocNumber', detail), 'create')).toMatchObject({ kind: 'duplicate', existingRemoteId: '42', field: 'number' });
    expect(transactionFaultError(fault('5010'), 'update')).toMatchObject({ kind: 'stale' });
    expect(transactionFaultError(fault('6000', 'TxnDate'), 'create')).toMatchObject({ kind: 'validation', field: 'issueDate' });
    expect(transactionFaultError(fault('2050'), 'create')).toMatchObject({ kind: 'validation', field: 'transaction' });
  });

  it('maps element paths and parses holder ids', () => {
    expect(transactionFieldOf('Invoice.DocNumber')).toBe('number');
    expect(transactionFieldOf('Line.Amount')).toBe('lines');
    expect(transactionFieldOf(undefined)).toBeUndefined();
    expect(holderIdFromDetail('no id here')).toBeUndefined();
  });
});
