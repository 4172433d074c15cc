import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module.js';
import { ConnectorHostModule } from '../connector-host/connector-host.module.js';
import { TransactionQueue } from '../sync/transaction-queue.service.js';
import { TransactionsController } from './transactions.controller.js';
import { TransactionsRepository } from './transactions.repository.js';
import { TransactionsService } from './transactions.service.js';

/** The HTTP side: transactions from the host app, "Sync now", retries, runs and remote transactions. */
@Module({
  imports: [ConnectionsModule, ConnectorHostModule],
  controllers: [TransactionsController],
  providers: [TransactionsRepository, TransactionsService, TransactionQueue],
})
export class TransactionsModule {}
