// Direct-to-database fixtures for pipeline tests (the management API has its own tests).
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { matchInboundUrl, serveInbound } from "@/lib/http/node-inbound";
import { prisma } from "@/lib/db";
import type { Condition } from "@/lib/inbound/types";
import { sealSecret } from "@/lib/store/secret-values";

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
  const id = randomUUID();
  return prisma().inboundSource.create({
    data: {
      id,
      orgId,
      originId: origin.id,
      title: "Test source",
      mnemonic: opts.mnemonic ?? `src_${randomBytes(4).toString("hex")}`,
      active: opts.active ?? true,
      verification: (opts.verification ?? undefined) as object | undefined,
      // Stored as the app stores it: sealed for this row.
      verificationSecret: opts.secret == null ? null : sealSecret("InboundSource.verificationSecret", { id }, opts.secret),
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

let inboundPath: "route handler" | "lean" = "route handler";
let leanServer: Promise<string> | undefined;

/**
 * From now on postInbound goes through the lean node:http path the production server
 * takes (lib/http/node-inbound.ts), over a real socket, instead of calling the App
 * Router's route handler: tests/inbound-lean.integration.test.ts reruns the inbound
 * contract this way, so both paths are held to the same rows.
 */
export function sendInboundThroughLeanPath(): void {
  inboundPath = "lean";
}

function leanBaseUrl(): Promise<string> {
  leanServer ??= new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const target = req.method === "POST" ? matchInboundUrl(req.url ?? "") : null;
      if (!target) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Not a lean inbound URL" }));
        return;
      }
      serveInbound(req, res, target).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.unref();
      resolve(typeof address === "object" && address ? `http://127.0.0.1:${address.port}` : "");
    });
  });
  return leanServer;
}

/** Calls the real inbound route handler (or the lean path, above) as a provider would. */
export async function postInbound(
  slug: string,
  key: { id: string } | { mnemonic: string },
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  opts: { sync?: boolean; query?: string } = { sync: true },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const params = [opts.sync ? "sync=true" : "", opts.query ?? ""].filter((p) => p !== "").join("&");
  const q = params ? `?${params}` : "";
  const path = "id" in key ? `${slug}/${key.id}` : `${slug}/by-mnemonic/${key.mnemonic}`;
  const init = { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : Buffer.from(body) };
  if (inboundPath === "lean") {
    const res = await fetch(`${await leanBaseUrl()}/api/inbound/${path}${q}`, init);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const request = new Request(`http://localhost/api/inbound/${path}${q}`, init);
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
