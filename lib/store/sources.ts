// Inbound sources. The org id is in every where clause: another org's source is "not
// found" exactly like an unknown id. The verification secret lives in its own column,
// sealed (secret-values.ts), and leaves this module only as a hint.
import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import { Prisma, type InboundSource } from "@/lib/generated/prisma/client";
import { conflict, notFound, validationFailed } from "@/lib/errors";
import {
  checkVerification,
  secretHint,
  toStoredVerification,
  type SourceCreateInput,
  type SourceDto,
  type SourceUpdateInput,
  type StoredVerification,
  type VerificationDto,
} from "@/lib/schemas/sources";
import { unreadablePathDetails } from "@/lib/inbound/mapping-paths";
import type { Detail, VerificationConfig } from "@/lib/inbound/types";
import { PRESET_DEFAULTS, signatureHeaderNames } from "@/lib/inbound/verify-signature";
import { isUuid } from "@/lib/uuid";
import { invalidateSourceCache } from "./source-lookup";
import { hintOf, openSecret, sealSecret } from "./secret-values";

const SECRET = "InboundSource.verificationSecret";

function toVerification(row: InboundSource): VerificationDto | null {
  const raw = row.verification;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const stored = raw as Partial<StoredVerification>;
  if (!stored.preset || !Object.hasOwn(PRESET_DEFAULTS, stored.preset)) return null;
  // Normalized on the way out too, so a row written by another path (a seed, a test,
  // an older version) still shows every setting verification actually uses.
  const v = toStoredVerification({
    preset: stored.preset,
    header: typeof stored.header === "string" ? stored.header : undefined,
    prefix: stored.prefix,
    algorithm: stored.algorithm,
    encoding: stored.encoding,
    timestampField: stored.timestampField,
    replayTolerance: stored.replayTolerance,
  });
  return { ...v, secretHint: hintOf(SECRET, row, row.verificationSecret, secretHint) ?? secretHint("") };
}

export function toSource(row: InboundSource): SourceDto {
  return {
    id: row.id,
    title: row.title,
    mnemonic: row.mnemonic,
    description: row.description,
    active: row.active,
    originId: row.originId,
    verification: toVerification(row),
    payloadSchema: (row.payloadSchema as Record<string, unknown> | null) ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Prisma's "record to update/delete not found". */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}

function mnemonicTaken(mnemonic: string) {
  return conflict([{ path: "/mnemonic", message: `"${mnemonic}" is already used by another source of this organization` }]);
}

const jsonOrDbNull = (value: Record<string, unknown> | null): Prisma.InputJsonValue | typeof Prisma.DbNull =>
  value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);

/** Oldest first: the order operators created them in. */
export async function listSources(orgId: string): Promise<SourceDto[]> {
  const rows = await prisma().inboundSource.findMany({ where: { orgId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toSource);
}

export async function getSource(orgId: string, id: string): Promise<SourceDto> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().inboundSource.findFirst({ where: { id, orgId } });
  if (!row) throw notFound();
  return toSource(row);
}

/** Creates the source and the Origin its interactions are attributed to, together. */
export async function createSource(orgId: string, input: SourceCreateInput): Promise<SourceDto> {
  const v = input.verification ?? null;
  // The id is chosen here: the secret is sealed for its row.
  const id = randomUUID();
  try {
    const row = await prisma().$transaction(async (tx) => {
      const origin = await tx.origin.create({ data: { orgId, name: input.title, kind: "inbound-source" } });
      return tx.inboundSource.create({
        data: {
          id,
          orgId,
          originId: origin.id,
          title: input.title,
          mnemonic: input.mnemonic,
          description: input.description ?? null,
          active: input.active,
          verification: v ? (toStoredVerification(v) as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
          verificationSecret: v ? sealSecret(SECRET, { id }, v.secret) : null,
          payloadSchema: jsonOrDbNull(input.payloadSchema ?? null),
        },
      });
    });
    // A negative cache entry for this mnemonic may exist from an earlier 404.
    invalidateSourceCache(row.id);
    return toSource(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw mnemonicTaken(input.mnemonic);
    throw error;
  }
}

/**
 * PATCH semantics: omitted fields are kept, null clears. `verification` is replaced as
 * a whole, except that an omitted secret keeps the stored one.
 */
/** Details for each path of the source's mappings that the verification would hide (stored redacted). */
async function hiddenHeaderDetails(tx: Prisma.TransactionClient, orgId: string, sourceId: string, verification: VerificationConfig): Promise<Detail[]> {
  const mappings = await tx.inboundMapping.findMany({
    where: { orgId, sourceId },
    select: { title: true, conditions: true, resourceIdPath: true, idempotencyPath: true, actionPath: true, fieldMappings: true, metadataPaths: true },
    orderBy: [{ priority: "desc" }, { createdAt: "asc" }],
  });
  const headers = signatureHeaderNames(verification);
  return mappings.flatMap((m) =>
    unreadablePathDetails(m, headers).map((d) => ({
      path: verification.header ? "/verification/header" : "/verification/preset",
      message: `would hide a header the mapping "${m.title}" reads at ${d.path}: ${d.message}; change that mapping first`,
    })),
  );
}

export async function updateSource(orgId: string, id: string, input: SourceUpdateInput): Promise<SourceDto> {
  if (!isUuid(id)) throw notFound();
  try {
    const row = await prisma().$transaction(async (tx) => {
      const current = await tx.inboundSource.findFirst({ where: { id, orgId } });
      if (!current) throw notFound();
      const data: Prisma.InboundSourceUpdateInput = {};
      if (input.title !== undefined) data.title = input.title;
      if (input.mnemonic !== undefined) data.mnemonic = input.mnemonic;
      if (input.description !== undefined) data.description = input.description;
      if (input.active !== undefined) data.active = input.active;
      if (input.payloadSchema !== undefined) data.payloadSchema = jsonOrDbNull(input.payloadSchema);
      if (input.verification === null) {
        data.verification = Prisma.DbNull;
        data.verificationSecret = null;
      } else if (input.verification !== undefined) {
        const details: Detail[] = [];
        if (input.verification.secret !== undefined) {
          data.verificationSecret = sealSecret(SECRET, current, input.verification.secret);
        } else {
          const kept = openSecret(SECRET, current, current.verificationSecret);
          if (!kept.ok) {
            const why = kept.reason === "missing" ? "this source has no stored secret" : "this source's stored secret cannot be decrypted";
            details.push({ path: "/verification/secret", message: `is required: ${why}` });
          } else {
            // The kept secret must still suit the (possibly new) preset.
            checkVerification({ ...input.verification, secret: kept.value }, (field, message) =>
              details.push({ path: `/verification/${field}`, message }),
            );
          }
        }
        const stored = toStoredVerification(input.verification);
        // A new signature header is stored redacted from now on: a mapping of this source
        // that reads it would match "[redacted]" and nothing else, so the change is refused.
        details.push(...(await hiddenHeaderDetails(tx, orgId, current.id, stored as unknown as VerificationConfig)));
        if (details.length > 0) throw validationFailed(details);
        data.verification = stored as unknown as Prisma.InputJsonValue;
      }
      const updated = await tx.inboundSource.update({ where: { id: current.id, orgId }, data });
      if (input.title !== undefined) await tx.origin.updateMany({ where: { id: updated.originId, orgId }, data: { name: input.title } });
      return updated;
    });
    invalidateSourceCache(id);
    return toSource(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw mnemonicTaken(input.mnemonic ?? "");
    if (isRecordNotFound(error)) throw notFound();
    throw error;
  }
}

/**
 * Deletes the source; its mappings and events go with it (cascade). Interactions are
 * business history and stay, still attributed to the source's origin.
 */
export async function deleteSource(orgId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound();
  const { count } = await prisma().inboundSource.deleteMany({ where: { id, orgId } });
  if (count === 0) throw notFound();
  invalidateSourceCache(id);
}
