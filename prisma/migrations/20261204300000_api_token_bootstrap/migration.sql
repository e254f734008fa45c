-- Tokens made from PROVENANCE_BOOTSTRAP_TOKEN are marked, so a start-up with another
-- (or no) configured token can revoke the previous one and leave API-made tokens alone.
-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "bootstrap" BOOLEAN NOT NULL DEFAULT false;

-- Before this column, start-up named its token "bootstrap" (an admin token).
UPDATE "ApiToken" SET "bootstrap" = true WHERE "name" = 'bootstrap' AND "role" = 'admin';
