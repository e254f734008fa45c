-- A team (issue 13): invitations by one-time link, deactivation, tokens attributed to the
-- member who made them, and separation of duties for approvals.

-- AlterTable
ALTER TABLE "Org" ADD COLUMN "separationOfDuties" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "inviteTokenHash" TEXT,
ADD COLUMN "inviteExpiresAt" TIMESTAMPTZ(3),
ADD COLUMN "invitedAt" TIMESTAMPTZ(3),
ADD COLUMN "invitedBy" TEXT,
ADD COLUMN "deactivatedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "createdById" UUID;

-- AlterTable
ALTER TABLE "FlowPackageVersion" ADD COLUMN "uploadedByActor" TEXT;

-- AlterTable
ALTER TABLE "FlowApproval" ADD COLUMN "approverActor" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "User_inviteTokenHash_key" ON "User"("inviteTokenHash");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
