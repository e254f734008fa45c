-- Issue 11, intake: retention of event bodies, the failed-event budget, and cache
-- invalidation across app processes.

-- AlterTable
ALTER TABLE "InboundEvent" ADD COLUMN "bodyPurgedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "InboundEvent_bodyPurgedAt_receivedAt_idx" ON "InboundEvent"("bodyPurgedAt", "receivedAt");

-- CreateTable
CREATE TABLE "FailedRequestCount" (
    "sourceId" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "orgId" UUID NOT NULL,
    "stored" INTEGER NOT NULL DEFAULT 0,
    "counted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FailedRequestCount_pkey" PRIMARY KEY ("sourceId","hour")
);

-- CreateIndex
CREATE INDEX "FailedRequestCount_orgId_hour_idx" ON "FailedRequestCount"("orgId", "hour");

-- CreateIndex
CREATE INDEX "FailedRequestCount_hour_idx" ON "FailedRequestCount"("hour");

-- AddForeignKey
ALTER TABLE "FailedRequestCount" ADD CONSTRAINT "FailedRequestCount_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FailedRequestCount" ADD CONSTRAINT "FailedRequestCount_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "InboundSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every app process caches source lookups (stage 1) and LISTENs on this channel
-- (lib/store/source-change-listener.ts). A trigger rather than a call in each writer, so
-- that every write reaches the other processes: the API, a ProviderFlow apply, a seed, a
-- secret re-encryption, an operator's psql. The payload is the source id, or "*" when an
-- org's slug changes or the org goes (every lookup through it may change). PostgreSQL
-- delivers a notification when its transaction commits, and not at all on rollback.
CREATE FUNCTION "provenance_notify_source_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'InboundSource' AND TG_OP = 'DELETE' THEN
    PERFORM pg_notify('provenance_source_changed', OLD."id"::text);
  ELSIF TG_TABLE_NAME = 'InboundSource' THEN
    PERFORM pg_notify('provenance_source_changed', NEW."id"::text);
  ELSE
    PERFORM pg_notify('provenance_source_changed', '*');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "InboundSource_notify_change"
  AFTER INSERT OR UPDATE OR DELETE ON "InboundSource"
  FOR EACH ROW EXECUTE FUNCTION "provenance_notify_source_change"();

CREATE TRIGGER "Org_notify_change"
  AFTER UPDATE OF "slug" OR DELETE ON "Org"
  FOR EACH ROW EXECUTE FUNCTION "provenance_notify_source_change"();
