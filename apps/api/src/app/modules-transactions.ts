import type { DynamicModule, Type } from '@nestjs/common';

/** Transactions and their sync (HTTP side). Listed in AppModule. */
export const transactionHttpModules: Array<Type | DynamicModule> = [];
/** Transactions and their sync (Bull processors). */
export const transactionWorkerModules: Array<Type | DynamicModule> = [];
