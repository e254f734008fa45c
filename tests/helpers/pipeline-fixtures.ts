// Direct-to-database fixtures for pipeline tests (the management API has its own tests).
import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db";
import type { Condition } from "@/lib/inbound/types";

export async function createOrg(prefix = "org") {
  const slug = `${prefix}-${randomBytes(4).toString("hex")}`;
  return prisma().org.create({ data: { slug, name: slug } });
}

export async function createSource(
  orgId: string,
  opts: {
    mnemonic?: string;
    active?: boolean;
    verification?: Record<string, unknown> | null;
    secret?: string | null;
    payloadSchema?: object | null;
  } = {},
) {
  const origin = await prisma().origin.create({ data: { orgId, name: "test origin" } });
  return prisma().inboundSource.create({
    data: {
      orgId,
      originId: origin.id,
      title: "Test source",
      mnemonic: opts.mnemonic ?? `src_${randomBytes(4).toString("hex")}`,
      active: opts.active ?? true,
      verification: (opts.verification ?? undefined) as object | undefined,
      verificationSecret: opts.secret ?? null,
      payloadSchema: (opts.payloadSchema ?? undefined) as object | undefined,
    },
  });
}

export async function createMapping(
  orgId: string,
  sourceId: string,
  opts: {
    title?: string;
    priority?: number;
    resourceType?: string;
    action?: string;
    conditions?: Condition[];
    payloadSchema?: object;
    schemaRootPath?: string;
    idempotencyPath?: string;
    resourceIdPath?: string;
    fieldMappings?: Record<string, string>;
    metadataPaths?: Record<string, string>;
    active?: boolean;
  } = {},
) {
  const rt = await prisma().resourceType.upsert({
    where: { orgId_name: { orgId, name: opts.resourceType ?? "payment" } },
    create: { orgId, name: opts.resourceType ?? "payment" },
    update: {},
  });
  const action = await prisma().action.upsert({
    where: { orgId_name: { orgId, name: opts.action ?? "succeeded" } },
    create: { orgId, name: opts.action ?? "succeeded" },
    update: {},
  });
  return prisma().inboundMapping.create({
    data: {
      orgId,
      sourceId,
      title: opts.title ?? "mapping",
      priority: opts.priority ?? 0,
      active: opts.active ?? true,
      resourceTypeId: rt.id,
      actionId: action.id,
      conditions: (opts.conditions ?? []) as object[],
      payloadSchema: opts.payloadSchema,
      schemaRootPath: opts.schemaRootPath,
      idempotencyPath: opts.idempotencyPath,
      resourceIdPath: opts.resourceIdPath ?? "data.object.id",
      fieldMappings: opts.fieldMappings,
      metadataPaths: opts.metadataPaths,
    },
  });
}

/** Calls the real inbound route handler as a provider would. */
export async function postInbound(
  slug: string,
  key: { id: string } | { mnemonic: string },
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  opts: { sync?: boolean } = { sync: true },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const q = opts.sync ? "?sync=true" : "";
  const path = "id" in key ? `${slug}/${key.id}` : `${slug}/by-mnemonic/${key.mnemonic}`;
  const request = new Request(`http://localhost/api/inbound/${path}${q}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : Buffer.from(body),
  });
  let res: Response;
  if ("id" in key) {
    const { POST } = await import("@/app/api/inbound/[slug]/[sourceId]/route");
    res = await POST(request, { params: Promise.resolve({ slug, sourceId: key.id }) });
  } else {
    const { POST } = await import("@/app/api/inbound/[slug]/by-mnemonic/[mnemonic]/route");
    res = await POST(request, { params: Promise.resolve({ slug, mnemonic: key.mnemonic }) });
  }
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
