-- AlterTable
ALTER TABLE "ContactLink" ADD COLUMN     "baseData" JSONB,
ADD COLUMN     "lastSyncedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Transaction" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "number" TEXT,
    "issueDate" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "total" BIGINT NOT NULL,
    "ready" BOOLEAN NOT NULL DEFAULT false,
    "data" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "contentHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TransactionSync" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "transactionId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "reason" TEXT,
    "fixAction" TEXT,
    "remoteId" TEXT,
    "remoteVersion" TEXT,
    "idempotencyKey" TEXT,
    "lastPushedHash" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastRunId" TEXT,
    "syncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TransactionSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncBatch" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "items" JSONB NOT NULL DEFAULT '[]',
    "results" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemoteTransaction" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "remoteId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "remoteContactId" TEXT NOT NULL,
    "number" TEXT,
    "status" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "total" BIGINT NOT NULL,
    "amountDue" BIGINT,
    "issueDate" TEXT,
    "deepLink" TEXT,
    "version" TEXT,
    "data" JSONB NOT NULL,
    "remoteUpdatedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RemoteTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FieldMapping" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rules" JSONB NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FieldMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundEvent" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT,
    "connectionId" TEXT,
    "connectorId" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "remoteId" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "survivorId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "state" TEXT NOT NULL DEFAULT 'received',
    "reason" TEXT,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "InboundEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" JSONB NOT NULL DEFAULT '[]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "nextAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FieldDecision" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "winner" TEXT NOT NULL,
    "winningValue" JSONB,
    "loser" TEXT,
    "losingValue" JSONB,
    "rule" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FieldDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Transaction_workspaceId_ready_updatedAt_idx" ON "Transaction"("workspaceId", "ready", "updatedAt");

-- CreateIndex
CREATE INDEX "Transaction_workspaceId_contactId_idx" ON "Transaction"("workspaceId", "contactId");

-- CreateIndex
CREATE INDEX "Transaction_workspaceId_type_issueDate_idx" ON "Transaction"("workspaceId", "type", "issueDate");

-- CreateIndex
CREATE UNIQUE INDEX "Transaction_workspaceId_externalId_key" ON "Transaction"("workspaceId", "externalId");

-- CreateIndex
CREATE INDEX "TransactionSync_workspaceId_connectionId_state_idx" ON "TransactionSync"("workspaceId", "connectionId", "state");

-- CreateIndex
CREATE INDEX "TransactionSync_workspaceId_transactionId_idx" ON "TransactionSync"("workspaceId", "transactionId");

-- CreateIndex
CREATE UNIQUE INDEX "TransactionSync_connectionId_transactionId_key" ON "TransactionSync"("connectionId", "transactionId");

-- CreateIndex
CREATE INDEX "SyncBatch_workspaceId_connectionId_createdAt_idx" ON "SyncBatch"("workspaceId", "connectionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SyncBatch_runId_seq_key" ON "SyncBatch"("runId", "seq");

-- CreateIndex
CREATE INDEX "RemoteTransaction_workspaceId_connectionId_remoteContactId_idx" ON "RemoteTransaction"("workspaceId", "connectionId", "remoteContactId");

-- CreateIndex
CREATE UNIQUE INDEX "RemoteTransaction_connectionId_type_remoteId_key" ON "RemoteTransaction"("connectionId", "type", "remoteId");

-- CreateIndex
CREATE INDEX "FieldMapping_workspaceId_connectionId_entity_idx" ON "FieldMapping"("workspaceId", "connectionId", "entity");

-- CreateIndex
CREATE UNIQUE INDEX "FieldMapping_connectionId_entity_version_key" ON "FieldMapping"("connectionId", "entity", "version");

-- CreateIndex
CREATE INDEX "InboundEvent_connectionId_state_occurredAt_idx" ON "InboundEvent"("connectionId", "state", "occurredAt");

-- CreateIndex
CREATE INDEX "InboundEvent_workspaceId_receivedAt_idx" ON "InboundEvent"("workspaceId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundEvent_connectorId_dedupeKey_key" ON "InboundEvent"("connectorId", "dedupeKey");

-- CreateIndex
CREATE INDEX "WebhookEndpoint_workspaceId_idx" ON "WebhookEndpoint"("workspaceId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_workspaceId_state_nextAttemptAt_idx" ON "WebhookDelivery"("workspaceId", "state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_endpointId_eventId_key" ON "WebhookDelivery"("endpointId", "eventId");

-- CreateIndex
CREATE INDEX "FieldDecision_workspaceId_contactId_createdAt_idx" ON "FieldDecision"("workspaceId", "contactId", "createdAt");
