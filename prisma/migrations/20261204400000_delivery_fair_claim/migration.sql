-- The fair delivery claim (lib/queue/delivery-worker.ts) walks the targets that have open
-- deliveries and takes each one's oldest due ones, and counts the leases in flight per
-- target and org. Both indexes cover open deliveries only, so they stay small however
-- much delivery history piles up, and a claim's cost follows the number of targets with
-- work, not the size of one org's backlog. Partial indexes: not in schema.prisma.

-- CreateIndex
CREATE INDEX "Delivery_open_targetId_nextAttemptAt_id_idx" ON "Delivery"("targetId", "nextAttemptAt", "id") WHERE "status" IN ('pending', 'failed');

-- CreateIndex
CREATE INDEX "Delivery_open_leaseUntil_idx" ON "Delivery"("leaseUntil") WHERE "status" IN ('pending', 'failed') AND "leaseUntil" IS NOT NULL;
