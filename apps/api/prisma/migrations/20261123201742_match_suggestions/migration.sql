-- CreateTable
CREATE TABLE "MatchSuggestion" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,
    "remoteId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" JSONB NOT NULL,
    "cause" TEXT NOT NULL,
    "explanation" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "decidedRemoteId" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "runId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatchSuggestion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MatchSuggestion_workspaceId_connectionId_state_idx" ON "MatchSuggestion"("workspaceId", "connectionId", "state");

-- CreateIndex
CREATE INDEX "MatchSuggestion_connectionId_contactId_idx" ON "MatchSuggestion"("connectionId", "contactId");
