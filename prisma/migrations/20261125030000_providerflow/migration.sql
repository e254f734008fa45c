-- CreateEnum
CREATE TYPE "PackageStatus" AS ENUM ('draft', 'sandbox-validated', 'approved', 'prod-revalidated');

-- AlterTable
ALTER TABLE "Org" ADD COLUMN "environment" TEXT NOT NULL DEFAULT 'production';

-- AlterTable
ALTER TABLE "InboundSource" ADD COLUMN "managedBy" TEXT;

-- AlterTable
ALTER TABLE "InboundMapping" ADD COLUMN "managedBy" TEXT;

-- AlterTable
ALTER TABLE "Target" ADD COLUMN "managedBy" TEXT;

-- AlterTable
ALTER TABLE "Route" ADD COLUMN "managedBy" TEXT;

-- CreateTable
CREATE TABLE "OrgSecret" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OrgSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowPackage" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowPackage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowPackageVersion" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "packageId" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "status" "PackageStatus" NOT NULL DEFAULT 'draft',
    "files" JSONB NOT NULL,
    "evidence" JSONB,
    "uploadedBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMPTZ(3),
    "appliedBy" TEXT,
    "revalidation" JSONB,
    "revalidatedAt" TIMESTAMPTZ(3),

    CONSTRAINT "FlowPackageVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowApproval" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "digest" TEXT NOT NULL,
    "approvedBy" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowApproval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrgSecret_orgId_name_key" ON "OrgSecret"("orgId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "FlowPackage_orgId_name_key" ON "FlowPackage"("orgId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "FlowPackageVersion_packageId_digest_key" ON "FlowPackageVersion"("packageId", "digest");

-- CreateIndex
CREATE INDEX "FlowPackageVersion_orgId_createdAt_id_idx" ON "FlowPackageVersion"("orgId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "FlowApproval_versionId_idx" ON "FlowApproval"("versionId");

-- AddForeignKey
ALTER TABLE "OrgSecret" ADD CONSTRAINT "OrgSecret_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowPackage" ADD CONSTRAINT "FlowPackage_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowPackageVersion" ADD CONSTRAINT "FlowPackageVersion_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowPackageVersion" ADD CONSTRAINT "FlowPackageVersion_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "FlowPackage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowApproval" ADD CONSTRAINT "FlowApproval_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowApproval" ADD CONSTRAINT "FlowApproval_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "FlowPackageVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
