-- AlterTable
ALTER TABLE "InboundMapping" ADD COLUMN "actionPath" TEXT,
ALTER COLUMN "actionId" DROP NOT NULL;
