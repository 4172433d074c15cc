-- DropIndex
DROP INDEX "AuditLog_workspaceId_createdAt_idx";

-- CreateTable
CREATE TABLE "HubEvent" (
    "seq" BIGSERIAL NOT NULL,
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HubEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "HubEvent_id_key" ON "HubEvent"("id");

-- CreateIndex
CREATE INDEX "HubEvent_workspaceId_seq_idx" ON "HubEvent"("workspaceId", "seq");

-- CreateIndex
CREATE INDEX "AuditLog_workspaceId_createdAt_id_idx" ON "AuditLog"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ContactLink_workspaceId_connectionId_state_idx" ON "ContactLink"("workspaceId", "connectionId", "state");
