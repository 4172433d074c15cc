import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  type RemoteReadStatus,
  type RemoteTransactionList,
  type RetryTransactionsRequest,
  routes,
  type SyncRunDetail,
  type SyncRunList,
  type SyncRunView,
  type TransactionDetail,
  type TransactionList,
} from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import type { UpsertTransactionBody } from './transaction-content.js';
import { type RunQuery, type TransactionQuery, TransactionsService } from './transactions.service.js';

@Controller()
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Put(routes.upsertTransaction.path)
  @RequireRole('admin')
  upsert(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.upsertTransaction.params, 'path')) params: { externalId: string },
    @Body(new ZodPipe(routes.upsertTransaction.body)) body: UpsertTransactionBody,
  ): Promise<TransactionDetail> {
    return this.transactions.upsert(user.workspaceId, params.externalId, body);
  }

  @Get(routes.listTransactions.path)
  list(@CurrentUser() user: AuthContext, @Query(new ZodPipe(routes.listTransactions.query, 'query')) query: TransactionQuery): Promise<TransactionList> {
    return this.transactions.list(user, query);
  }

  @Get(routes.getTransaction.path)
  get(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.getTransaction.params, 'path')) params: { id: string }): Promise<TransactionDetail> {
    return this.transactions.get(user, params.id);
  }

  @Post(routes.syncTransactions.path)
  @HttpCode(202)
  @RequireRole('admin')
  sync(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.syncTransactions.params, 'path')) params: { id: string }): Promise<SyncRunView> {
    return this.transactions.sync(user, params.id);
  }

  @Post(routes.retryTransactions.path)
  @HttpCode(202)
  @RequireRole('admin')
  retry(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.retryTransactions.params, 'path')) params: { id: string },
    @Body(new ZodPipe(routes.retryTransactions.body)) body: RetryTransactionsRequest,
  ): Promise<SyncRunView> {
    return this.transactions.retry(user, params.id, body);
  }

  @Get(routes.listSyncRuns.path)
  runs(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.listSyncRuns.params, 'path')) params: { id: string },
    @Query(new ZodPipe(routes.listSyncRuns.query, 'query')) query: RunQuery,
  ): Promise<SyncRunList> {
    return this.transactions.runs(user, params.id, query);
  }

  @Get(routes.getSyncRun.path)
  run(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.getSyncRun.params, 'path')) params: { id: string; runId: string }): Promise<SyncRunDetail> {
    return this.transactions.run(user, params.id, params.runId);
  }

  @Post(routes.readRemoteTransactions.path)
  @HttpCode(202)
  @RequireRole('admin')
  readRemote(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.readRemoteTransactions.params, 'path')) params: { id: string }): Promise<RemoteReadStatus> {
    return this.transactions.readRemote(user, params.id);
  }

  @Get(routes.contactRemoteTransactions.path)
  contactRemote(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.contactRemoteTransactions.params, 'path')) params: { id: string }): Promise<RemoteTransactionList> {
    return this.transactions.contactRemote(user, params.id);
  }
}
