-- CreateIndex
CREATE INDEX "InboundEvent_state_receivedAt_idx" ON "InboundEvent"("state", "receivedAt");
