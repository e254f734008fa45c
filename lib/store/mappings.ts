// Inbound mappings. Resource type and action names become ResourceType/Action rows
// (unique per org, created on first use) so interactions can be filtered by id.
import { prisma } from "@/lib/db";
import { Prisma, type Action, type InboundMapping, type ResourceType } from "@/lib/generated/prisma/client";
import { notFound, validationFailed } from "@/lib/errors";
import type { MappingCreateInput, MappingDto, MappingUpdateInput } from "@/lib/schemas/mappings";
import type { Condition, VerificationConfig } from "@/lib/inbound/types";
import { unreadablePathDetails, type MappingPaths } from "@/lib/inbound/mapping-paths";
import { signatureHeaderNames } from "@/lib/inbound/verify-signature";
import type { MappingRecord } from "@/lib/inbound/ports";
import { isUuid } from "@/lib/uuid";
import { isRecordNotFound } from "./sources";

type Tx = Prisma.TransactionClient;
type Row = InboundMapping & { resourceType: ResourceType; action: Action | null };

const include = { resourceType: true, action: true } as const;

export function toMapping(row: Row): MappingDto {
  return {
    id: row.id,
    sourceId: row.sourceId,
    title: row.title,
    active: row.active,
    priority: row.priority,
    resourceType: row.resourceType.name,
    resourceTypeId: row.resourceTypeId,
    action: row.action?.name ?? null,
    actionId: row.actionId,
    actionPath: row.actionPath,
    conditions: row.conditions as unknown as Condition[],
    payloadSchema: (row.payloadSchema as Record<string, unknown> | null) ?? null,
    schemaRootPath: row.schemaRootPath,
    idempotencyPath: row.idempotencyPath,
    resourceIdPath: row.resourceIdPath,
    fieldMappings: (row.fieldMappings as Record<string, string> | null) ?? null,
    metadataPaths: (row.metadataPaths as Record<string, string> | null) ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The pipeline's view of a mapping, for the dry-run tester. */
export function toMappingRecord(row: Row): MappingRecord {
  return {
    id: row.id,
    title: row.title,
    priority: row.priority,
    createdAt: row.createdAt,
    resourceTypeId: row.resourceTypeId,
    actionId: row.actionId,
    resourceType: row.resourceType.name,
    action: row.action?.name ?? null,
    actionPath: row.actionPath,
    conditions: row.conditions as unknown as Condition[],
    payloadSchema: (row.payloadSchema as object | null) ?? null,
    schemaRootPath: row.schemaRootPath,
    idempotencyPath: row.idempotencyPath,
    resourceIdPath: row.resourceIdPath,
    fieldMappings: (row.fieldMappings as Record<string, string> | null) ?? null,
    metadataPaths: (row.metadataPaths as Record<string, string> | null) ?? null,
  };
}

const jsonOrDbNull = (value: object | null): Prisma.InputJsonValue | typeof Prisma.DbNull =>
  value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);

/** Insert-if-missing that holds under concurrency (ON CONFLICT DO NOTHING, then read). */
async function resourceTypeId(tx: Tx, orgId: string, name: string): Promise<string> {
  await tx.resourceType.createMany({ data: [{ orgId, name }], skipDuplicates: true });
  return (await tx.resourceType.findUniqueOrThrow({ where: { orgId_name: { orgId, name } }, select: { id: true } })).id;
}

async function actionId(tx: Tx, orgId: string, name: string): Promise<string> {
  await tx.action.createMany({ data: [{ orgId, name }], skipDuplicates: true });
  return (await tx.action.findUniqueOrThrow({ where: { orgId_name: { orgId, name } }, select: { id: true } })).id;
}

/** A mapping may only hang off a source of the same org; anything else reads as a bad sourceId. */
/** The source (of this org), with the header names its signature arrives in (lower-cased). */
async function assertSource(tx: Tx, orgId: string, sourceId: string): Promise<{ signatureHeaders: string[] }> {
  const found = isUuid(sourceId) && (await tx.inboundSource.findFirst({ where: { id: sourceId, orgId }, select: { id: true, verification: true } }));
  if (!found) throw validationFailed([{ path: "/sourceId", message: "Source not found" }]);
  const v = found.verification as VerificationConfig | null;
  return { signatureHeaders: v && typeof v === "object" ? signatureHeaderNames(v) : [] };
}

/** Request paths may not read a header that carries the source's signature or a credential (stored redacted). */
function assertReadablePaths(m: MappingPaths, signatureHeaders: string[]): void {
  const details = unreadablePathDetails(m, signatureHeaders);
  if (details.length > 0) throw validationFailed(details);
}

/** Highest priority first, then oldest first: the order the pipeline tries them in. */
export async function listMappings(orgId: string, filter: { sourceId?: string } = {}): Promise<MappingDto[]> {
  const rows = await prisma().inboundMapping.findMany({
    where: { orgId, ...(filter.sourceId ? { sourceId: filter.sourceId } : {}) },
    include,
    orderBy: [{ priority: "desc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toMapping);
}

export async function findMappingRow(orgId: string, id: string): Promise<Row> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().inboundMapping.findFirst({ where: { id, orgId }, include });
  if (!row) throw notFound();
  return row;
}

export async function getMapping(orgId: string, id: string): Promise<MappingDto> {
  return toMapping(await findMappingRow(orgId, id));
}

export async function createMapping(orgId: string, input: MappingCreateInput): Promise<MappingDto> {
  const row = await prisma().$transaction(async (tx) => {
    const { signatureHeaders } = await assertSource(tx, orgId, input.sourceId);
    assertReadablePaths(input, signatureHeaders);
    return tx.inboundMapping.create({
      data: {
        orgId,
        sourceId: input.sourceId,
        title: input.title ?? `${input.resourceType}.${input.action ?? `<${input.actionPath}>`}`,
        active: input.active,
        priority: input.priority,
        resourceTypeId: await resourceTypeId(tx, orgId, input.resourceType),
        actionId: input.action !== undefined ? await actionId(tx, orgId, input.action) : null,
        actionPath: input.actionPath ?? null,
        conditions: input.conditions as unknown as Prisma.InputJsonValue,
        payloadSchema: jsonOrDbNull(input.payloadSchema ?? null),
        schemaRootPath: input.schemaRootPath ?? null,
        idempotencyPath: input.idempotencyPath ?? null,
        resourceIdPath: input.resourceIdPath,
        fieldMappings: jsonOrDbNull(input.fieldMappings ?? null),
        metadataPaths: jsonOrDbNull(input.metadataPaths ?? null),
      },
      include,
    });
  });
  return toMapping(row);
}

/** PATCH semantics: omitted fields are kept, null clears an optional field. */
export async function updateMapping(orgId: string, id: string, input: MappingUpdateInput): Promise<MappingDto> {
  if (!isUuid(id)) throw notFound();
  try {
    const row = await prisma().$transaction(async (tx) => {
      const current = await tx.inboundMapping.findFirst({
        where: { id, orgId },
        select: { id: true, sourceId: true, conditions: true, resourceIdPath: true, idempotencyPath: true, actionPath: true, fieldMappings: true, metadataPaths: true },
      });
      if (!current) throw notFound();
      const data: Prisma.InboundMappingUncheckedUpdateInput = {};
      const { signatureHeaders } = await assertSource(tx, orgId, input.sourceId ?? current.sourceId);
      if (input.sourceId !== undefined) data.sourceId = input.sourceId;
      // The mapping as it will be (a new source may sign in a header an old path reads).
      assertReadablePaths(
        {
          conditions: input.conditions ?? current.conditions,
          resourceIdPath: input.resourceIdPath ?? current.resourceIdPath,
          idempotencyPath: input.idempotencyPath !== undefined ? input.idempotencyPath : current.idempotencyPath,
          actionPath: input.action !== undefined ? null : (input.actionPath ?? current.actionPath),
          fieldMappings: input.fieldMappings !== undefined ? input.fieldMappings : current.fieldMappings,
          metadataPaths: input.metadataPaths !== undefined ? input.metadataPaths : current.metadataPaths,
        },
        signatureHeaders,
      );
      if (input.title !== undefined) data.title = input.title;
      if (input.active !== undefined) data.active = input.active;
      if (input.priority !== undefined) data.priority = input.priority;
      if (input.resourceType !== undefined) data.resourceTypeId = await resourceTypeId(tx, orgId, input.resourceType);
      if (input.action !== undefined) {
        data.actionId = await actionId(tx, orgId, input.action);
        data.actionPath = null;
      }
      if (input.actionPath !== undefined) {
        data.actionPath = input.actionPath;
        data.actionId = null;
      }
      if (input.conditions !== undefined) data.conditions = input.conditions as unknown as Prisma.InputJsonValue;
      if (input.payloadSchema !== undefined) data.payloadSchema = jsonOrDbNull(input.payloadSchema);
      if (input.schemaRootPath !== undefined) data.schemaRootPath = input.schemaRootPath;
      if (input.idempotencyPath !== undefined) data.idempotencyPath = input.idempotencyPath;
      if (input.resourceIdPath !== undefined) data.resourceIdPath = input.resourceIdPath;
      if (input.fieldMappings !== undefined) data.fieldMappings = jsonOrDbNull(input.fieldMappings);
      if (input.metadataPaths !== undefined) data.metadataPaths = jsonOrDbNull(input.metadataPaths);
      return tx.inboundMapping.update({ where: { id: current.id, orgId }, data, include });
    });
    return toMapping(row);
  } catch (error) {
    if (isRecordNotFound(error)) throw notFound();
    throw error;
  }
}

export async function deleteMapping(orgId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound();
  const { count } = await prisma().inboundMapping.deleteMany({ where: { id, orgId } });
  if (count === 0) throw notFound();
}
