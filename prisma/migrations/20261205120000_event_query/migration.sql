-- Request paths (issue 14): the inbound URL's query parameters are stored with the
-- event, so the worker and replays read `$query.<name>` as the request had it.

-- AlterTable
ALTER TABLE "InboundEvent" ADD COLUMN "query" JSONB NOT NULL DEFAULT '{}';
