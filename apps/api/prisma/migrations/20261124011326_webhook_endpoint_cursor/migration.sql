-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "lastSeq" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "WebhookDelivery_state_nextAttemptAt_idx" ON "WebhookDelivery"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_createdAt_idx" ON "WebhookDelivery"("endpointId", "createdAt");
