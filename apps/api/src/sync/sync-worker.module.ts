import { Module } from '@nestjs/common';
import { ConnectorHostModule } from '../connector-host/connector-host.module.js';
import { TransactionsRepository } from '../transactions/transactions.repository.js';
import { RateBudgetService } from './rate-budget.service.js';
import { RemoteReader } from './remote-reader.service.js';
import { SyncProcessor } from './sync.processor.js';
import { SyncRunner } from './sync-runner.service.js';
import { TransactionQueue } from './transaction-queue.service.js';

/** The worker side of transaction sync: plan runs, push batches, read remote transactions. */
@Module({
  imports: [ConnectorHostModule],
  providers: [TransactionsRepository, TransactionQueue, RateBudgetService, SyncRunner, RemoteReader, SyncProcessor],
})
export class SyncWorkerModule {}
