-- The worker claims queued events ORDER BY ("availableAt", "receivedAt"). With
-- "receivedAt" in the index, many events sharing one "availableAt" (a bulk insert, or
-- retries rescheduled to the same instant) no longer force a sort over their bodies.

-- DropIndex
DROP INDEX "InboundEvent_status_availableAt_idx";

-- CreateIndex
CREATE INDEX "InboundEvent_status_availableAt_receivedAt_idx" ON "InboundEvent"("status", "availableAt", "receivedAt");
