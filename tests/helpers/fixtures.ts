// Test fixtures for the management API: orgs with tokens (through the store functions),
// signed-in users, and direct inserts of what only the pipeline writes (events,
// interactions, deliveries). Every call makes unique names, so tests never collide.
import { randomBytes, randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import type { Role } from "@/lib/auth/principal";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import { sha256Hex } from "@/lib/auth/secrets";
import type { DeliveryStatus, EventStatus } from "@/lib/generated/prisma/enums";
import type { RouteHandler } from "@/lib/api/with-api";
import { createApiToken } from "@/lib/store/api-tokens";
import { createOrgIfMissing } from "@/lib/store/orgs";

export const BASE = "http://localhost";

const unique = (label: string) => `${label}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;

export async function createOrg(label = "org") {
  const slug = unique(label);
  return (await createOrgIfMissing(slug, `Org ${slug}`)).org;
}

export async function tokenFor(orgId: string, role: Role): Promise<string> {
  return (await createApiToken(orgId, { name: `${role} token`, role })).token;
}

export async function createOrgWithToken(role: Role = "admin") {
  const org = await createOrg();
  return { org, token: await tokenFor(org.id, role) };
}

/** A signed-in console user: the Cookie header value of a fresh session. */
export async function createSessionCookie(orgId: string, role: Role = "operator"): Promise<string> {
  const user = await prisma().user.create({
    data: { orgId, email: `${unique("u")}@example.com`, role, passwordHash: "unused-in-these-tests" },
  });
  const sessionToken = randomBytes(32).toString("base64url");
  await prisma().session.create({
    data: { userId: user.id, tokenHash: sha256Hex(sessionToken), expiresAt: new Date(Date.now() + 3600_000) },
  });
  return `${SESSION_COOKIE}=${sessionToken}`;
}

type CallOptions = { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; params?: Record<string, string> };

export type CallResult = { status: number; text: string; json: unknown; headers: Headers };

/** Calls a route handler directly, as Next.js would, and reads what a client sees. */
export async function call(handler: RouteHandler, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await handler(new Request(`${BASE}${path}`, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: unknown = null;
  if (text.length > 0) json = JSON.parse(text);
  return { status: res.status, text, json, headers: res.headers };
}

/** A narrow cast for reading JSON fields in assertions. */
export function obj(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

export function list(value: unknown): Record<string, unknown>[] {
  const data = obj(value).data;
  if (!Array.isArray(data)) throw new Error(`expected { data: [] }, got ${JSON.stringify(value)}`);
  return data as Record<string, unknown>[];
}

export const PASSED_STAGES = [
  { stage: "source", outcome: "passed" },
  { stage: "signature", outcome: "skipped", detail: "No verification configured" },
  { stage: "sourceSchema", outcome: "skipped", detail: "No source schema" },
];

/** An event as the pipeline would have stored it. */
export async function insertEvent(
  orgId: string,
  sourceId: string,
  fields: { status?: EventStatus; receivedAt?: Date; body?: string; stages?: object[]; error?: string; replayOf?: string } = {},
) {
  return prisma().inboundEvent.create({
    data: {
      orgId,
      sourceId,
      status: fields.status ?? "processed",
      headers: { "content-type": "application/json", "x-signature": "[redacted]" },
      body: new TextEncoder().encode(fields.body ?? '{"id":"evt_1"}'),
      stages: fields.stages ?? PASSED_STAGES,
      error: fields.error ?? null,
      replayOf: fields.replayOf ?? null,
      receivedAt: fields.receivedAt ?? new Date(),
      processedAt: fields.status === "queued" ? null : new Date(),
    },
  });
}

/** An interaction as the pipeline would have stored it, for the mapping of `mappingId`. */
export async function insertInteraction(
  orgId: string,
  mappingId: string,
  fields: { idempotencyKey?: string | null; resourceId?: string; createdAt?: Date } = {},
) {
  const m = await prisma().inboundMapping.findUniqueOrThrow({
    where: { id: mappingId },
    include: { resourceType: true, action: true, source: true },
  });
  if (!m.actionId || !m.action) throw new Error("insertInteraction needs a mapping with a fixed action");
  const event = await insertEvent(orgId, m.sourceId);
  return prisma().interaction.create({
    data: {
      orgId,
      originId: m.source.originId,
      sourceId: m.sourceId,
      mappingId: m.id,
      eventId: event.id,
      resourceTypeId: m.resourceTypeId,
      actionId: m.actionId,
      resourceType: m.resourceType.name,
      action: m.action.name,
      resourceId: fields.resourceId ?? randomUUID(),
      idempotencyKey: fields.idempotencyKey === undefined ? null : fields.idempotencyKey,
      object: { _uowId: randomUUID() },
      createdAt: fields.createdAt ?? new Date(),
    },
  });
}

/** One attempt as the delivery worker records it. */
export type StoredAttempt = { at: string; status?: number; error?: string; ms: number; responseBody: string };

/** A delivery as the pipeline (and, with attempts, the delivery worker) would have stored it. */
export async function insertDelivery(
  orgId: string,
  interactionId: string,
  targetId: string,
  fields: {
    status?: DeliveryStatus;
    attempts?: StoredAttempt[];
    budgetAttempts?: number;
    nextAttemptAt?: Date | null;
    leaseUntil?: Date | null;
    createdAt?: Date;
  } = {},
) {
  const status = fields.status ?? "pending";
  return prisma().delivery.create({
    data: {
      orgId,
      interactionId,
      targetId,
      status,
      attempts: fields.attempts ?? [],
      budgetAttempts: fields.budgetAttempts ?? (fields.attempts?.length ?? 0),
      // Only pending and failed deliveries are scheduled.
      nextAttemptAt: fields.nextAttemptAt !== undefined ? fields.nextAttemptAt : status === "pending" || status === "failed" ? new Date() : null,
      leaseUntil: fields.leaseUntil ?? null,
      createdAt: fields.createdAt ?? new Date(),
    },
  });
}

/** An org whose environment is "sandbox": ProviderFlow applies any sandbox-validated version there. */
export async function createSandboxOrgWithToken(role: Role = "admin") {
  const created = await createOrgWithToken(role);
  const org = await prisma().org.update({ where: { id: created.org.id }, data: { environment: "sandbox" } });
  return { org, token: created.token };
}

/** Package files as the ProviderFlow API takes them: path → base64 of the bytes. */
export function encodePackageFiles(files: Iterable<readonly [string, Uint8Array | string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, content] of files) out[path] = (typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content)).toString("base64");
  return out;
}
