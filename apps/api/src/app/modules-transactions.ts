import type { DynamicModule, Type } from '@nestjs/common';
import { SyncWorkerModule } from '../sync/sync-worker.module.js';
import { TransactionsModule } from '../transactions/transactions.module.js';

/** Transactions and their sync (HTTP side). Listed in AppModule. */
export const transactionHttpModules: Array<Type | DynamicModule> = [TransactionsModule];
/** Transactions and their sync (Bull processors). */
export const transactionWorkerModules: Array<Type | DynamicModule> = [SyncWorkerModule];
