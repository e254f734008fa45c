// Delivery targets. The org id is in every where clause: another org's target is "not
// found" exactly like an unknown id. Both secrets (auth and signing) leave this module
// only as hints, except the signing secret in the create and rotate results, which is
// how an operator learns it. Both are stored sealed (secret-values.ts).
import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma, Target } from "@/lib/generated/prisma/client";
import { conflict, notFound, validationFailed } from "@/lib/errors";
import {
  AUTH_TYPES,
  BACKOFFS,
  type AuthType,
  type TargetCreateInput,
  type TargetDto,
  type TargetListQueryInput,
  type TargetUpdateInput,
  type TargetWithSigningSecretDto,
} from "@/lib/schemas/targets";
import { checkTargetUrl, type TargetUrlOptions } from "@/lib/delivery/ssrf-guard";
import { generateSigningSecret, secretHint } from "@/lib/delivery/sign-outbound";
import type { Detail } from "@/lib/inbound/types";
import { toPage, type Page } from "@/lib/cursors";
import { isRecordNotFound, isUniqueViolation } from "./sources";
import { isUuid } from "@/lib/uuid";
import { hintOf, readSecret, sealSecret } from "./secret-values";
import type { OutboundTarget } from "@/lib/delivery/outbound-request";

const isAuthType = (v: string): v is AuthType => (AUTH_TYPES as readonly string[]).includes(v);
const isBackoff = (v: string): v is (typeof BACKOFFS)[number] => (BACKOFFS as readonly string[]).includes(v);

export function toTarget(row: Target): TargetDto {
  // The columns are plain strings; a value no API write could produce (a seed, a manual
  // edit) is shown as the closest honest setting rather than breaking the response shape.
  const type = isAuthType(row.authType) ? row.authType : "none";
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    active: row.active,
    auth: {
      type,
      headerName: type === "header" ? row.authHeaderName : null,
      secretHint: type !== "none" && row.authSecret ? hintOf("Target.authSecret", row, row.authSecret, secretHint) : null,
    },
    signing: {
      type: "standard-webhooks",
      enabled: row.signingEnabled,
      signingSecretHint: hintOf("Target.signingSecret", row, row.signingSecret, secretHint),
    },
    retry: {
      maxAttempts: row.maxAttempts,
      backoff: isBackoff(row.backoff) ? row.backoff : "exponential",
      initialDelaySeconds: row.initialDelaySeconds,
    },
    timeoutSeconds: row.timeoutSeconds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function nameTaken(name: string) {
  return conflict([{ path: "/name", message: `"${name}" is already used by another target of this organization` }]);
}

/**
 * The create-time SSRF check. `allowPrivate` is read from the environment on each call
 * by default, so the deployment's flag applies; tests pass it explicitly to cover both.
 */
function assertUrl(url: string, options: TargetUrlOptions): void {
  const checked = checkTargetUrl(url, options);
  if (!checked.ok) throw validationFailed([{ path: "/url", message: checked.message }]);
}

const fromEnv = (): TargetUrlOptions => ({ allowPrivate: env().PROVENANCE_ALLOW_PRIVATE_TARGETS });

/** Newest first, like every paged list. */
export async function listTargets(orgId: string, q: TargetListQueryInput): Promise<Page<TargetDto>> {
  const rows = await prisma().target.findMany({
    where: {
      orgId,
      ...(q.cursor ? { OR: [{ createdAt: { lt: q.cursor.at } }, { createdAt: q.cursor.at, id: { lt: q.cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  return toPage(rows, q.limit, (r) => r.createdAt, toTarget);
}

export async function getTarget(orgId: string, id: string): Promise<TargetDto> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().target.findFirst({ where: { id, orgId } });
  if (!row) throw notFound();
  return toTarget(row);
}

/**
 * Creates the target with a fresh signing secret, generated even when signing starts
 * disabled, so enabling it later needs no extra step. The secret is in this result only.
 */
export async function createTarget(
  orgId: string,
  input: TargetCreateInput,
  options: TargetUrlOptions = fromEnv(),
): Promise<TargetWithSigningSecretDto> {
  assertUrl(input.url, options);
  const signingSecret = generateSigningSecret();
  // The id is chosen here: the secrets are sealed for their row.
  const id = randomUUID();
  try {
    const row = await prisma().target.create({
      data: {
        id,
        orgId,
        name: input.name,
        url: input.url,
        active: input.active,
        authType: input.auth.type,
        authSecret: input.auth.type === "none" || input.auth.secret === undefined ? null : sealSecret("Target.authSecret", { id }, input.auth.secret),
        authHeaderName: input.auth.type === "header" ? (input.auth.headerName ?? null) : null,
        signingEnabled: input.signing.enabled,
        signingSecret: sealSecret("Target.signingSecret", { id }, signingSecret),
        maxAttempts: input.retry.maxAttempts,
        backoff: input.retry.backoff,
        initialDelaySeconds: input.retry.initialDelaySeconds,
        timeoutSeconds: input.timeoutSeconds,
      },
    });
    return { ...toTarget(row), signingSecret };
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

/**
 * PATCH semantics: omitted fields are kept. `auth` is replaced as a whole, except that
 * an omitted secret keeps the stored one when the type is unchanged (a basic
 * "user:password" is no bearer token, so a new type needs a new secret). `signing` and
 * `retry` are merged field by field.
 */
export async function updateTarget(
  orgId: string,
  id: string,
  input: TargetUpdateInput,
  options: TargetUrlOptions = fromEnv(),
): Promise<TargetDto> {
  if (!isUuid(id)) throw notFound();
  try {
    const row = await prisma().$transaction(async (tx) => {
      const current = await tx.target.findFirst({ where: { id, orgId } });
      if (!current) throw notFound();
      // Checked after the lookup so another org's id answers 404, never a URL error.
      if (input.url !== undefined) assertUrl(input.url, options);
      const data: Prisma.TargetUpdateInput = {};
      if (input.name !== undefined) data.name = input.name;
      if (input.url !== undefined) data.url = input.url;
      if (input.active !== undefined) data.active = input.active;
      if (input.auth !== undefined) {
        const { type, secret, headerName } = input.auth;
        const kept = type === current.authType ? (current.authSecret ?? undefined) : undefined;
        const details: Detail[] = [];
        if (type !== "none" && secret === undefined && kept === undefined) {
          details.push({
            path: "/auth/secret",
            message: type === current.authType ? "is required: this target has no stored secret" : `is required when changing the auth type to "${type}"`,
          });
        }
        if (details.length > 0) throw validationFailed(details);
        data.authType = type;
        // A kept secret stays as stored: it is sealed for this row already.
        data.authSecret = type === "none" ? null : secret !== undefined ? sealSecret("Target.authSecret", current, secret) : (kept ?? null);
        data.authHeaderName = type === "header" ? (headerName ?? null) : null;
      }
      if (input.signing?.enabled !== undefined) data.signingEnabled = input.signing.enabled;
      if (input.retry?.maxAttempts !== undefined) data.maxAttempts = input.retry.maxAttempts;
      if (input.retry?.backoff !== undefined) data.backoff = input.retry.backoff;
      if (input.retry?.initialDelaySeconds !== undefined) data.initialDelaySeconds = input.retry.initialDelaySeconds;
      if (input.timeoutSeconds !== undefined) data.timeoutSeconds = input.timeoutSeconds;
      return tx.target.update({ where: { id: current.id, orgId }, data });
    });
    return toTarget(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name ?? "");
    if (isRecordNotFound(error)) throw notFound();
    throw error;
  }
}

/**
 * A new signing secret replaces the old one at once: deliveries signed from now on use
 * it, so receivers must switch when they store the new one.
 */
export async function rotateSigningSecret(orgId: string, id: string): Promise<TargetWithSigningSecretDto> {
  if (!isUuid(id)) throw notFound();
  const signingSecret = generateSigningSecret();
  try {
    // The org in the where clause: another org's target is "record not found" (404).
    const row = await prisma().target.update({ where: { id, orgId }, data: { signingSecret: sealSecret("Target.signingSecret", { id }, signingSecret) } });
    return { ...toTarget(row), signingSecret };
  } catch (error) {
    if (isRecordNotFound(error)) throw notFound();
    throw error;
  }
}

/** Deletes the target; its routes and deliveries (with their attempt history) go with it (cascade). */
export async function deleteTarget(orgId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound();
  const { count } = await prisma().target.deleteMany({ where: { id, orgId } });
  if (count === 0) throw notFound();
}

/**
 * The target with its secrets opened, as the outbound request needs it. Fails closed: a
 * secret the request needs (auth of a type other than none; signing when enabled) that
 * is missing or cannot be decrypted stops the attempt, which is recorded with this
 * error, instead of sending the delivery unauthenticated or unsigned.
 */
export function openOutboundTarget(targetId: string, t: OutboundTarget): { ok: true; target: OutboundTarget } | { ok: false; error: string } {
  const row = { id: targetId };
  const consequence = "deliveries to this target fail until it is set again";
  const authSecret = t.authType === "none" ? null : readSecret("Target.authSecret", row, t.authSecret, consequence);
  if (t.authType !== "none" && authSecret === null) {
    return { ok: false, error: `Not sent: the target's ${t.authType} auth secret is missing or cannot be decrypted; set it again` };
  }
  const signingSecret = t.signingEnabled ? readSecret("Target.signingSecret", row, t.signingSecret, consequence) : null;
  if (t.signingEnabled && signingSecret === null) {
    return { ok: false, error: "Not sent: signing is enabled but the signing secret is missing or cannot be decrypted; rotate it" };
  }
  return { ok: true, target: { ...t, authSecret, signingSecret } };
}
