// Proves prisma/schema.prisma and the hand-written SQL migrations agree: every model
// round-trips through the generated client against a freshly migrated database.
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";

const p = prisma();

afterAll(async () => {
  await p.$disconnect();
});

describe("schema and migrations agree", () => {
  it("round-trips every model with every column", async () => {
    const org = await p.org.create({ data: { slug: `rt-${Date.now()}`, name: "Round trip", separationOfDuties: false } });
    const user = await p.user.create({
      data: { orgId: org.id, email: `rt-${Date.now()}@example.com`, name: "R", role: "reviewer", passwordHash: "x", lastLoginAt: new Date(),
        inviteTokenHash: `inv-${Date.now()}`, inviteExpiresAt: new Date(), invitedAt: new Date(), invitedBy: "Ada", deactivatedAt: new Date() },
    });
    const session = await p.session.create({
      data: { userId: user.id, tokenHash: `h-${user.id}`, expiresAt: new Date(Date.now() + 1000) },
    });
    const token = await p.apiToken.create({
      data: { orgId: org.id, name: "t", role: "operator", prefix: "prv_abc", tokenHash: `th-${org.id}`, lastUsedAt: new Date(), createdById: user.id },
    });
    const origin = await p.origin.create({ data: { orgId: org.id, name: "o" } });
    const source = await p.inboundSource.create({
      data: {
        orgId: org.id,
        originId: origin.id,
        title: "S",
        mnemonic: "S1",
        description: "d",
        verification: { preset: "github" },
        verificationSecret: "s",
        payloadSchema: { type: "object" },
      },
    });
    const rt = await p.resourceType.create({ data: { orgId: org.id, name: "payment" } });
    const action = await p.action.create({ data: { orgId: org.id, name: "succeeded" } });
    const mapping = await p.inboundMapping.create({
      data: {
        orgId: org.id,
        sourceId: source.id,
        title: "m",
        priority: 5,
        resourceTypeId: rt.id,
        actionId: action.id,
        conditions: [{ path: "type", op: "eq", value: "x" }],
        payloadSchema: { type: "object" },
        schemaRootPath: "data",
        idempotencyPath: "id",
        resourceIdPath: "data.id",
        fieldMappings: { a: "b" },
        metadataPaths: { userId: "u" },
      },
    });
    const event = await p.inboundEvent.create({
      data: {
        orgId: org.id,
        sourceId: source.id,
        status: "processed",
        headers: { "content-type": "application/json" },
        body: new Uint8Array([123, 125]),
        bodyTruncated: true,
        stages: [{ stage: "source", outcome: "passed" }],
        error: "e",
        errorDetails: [{ path: "", message: "m" }],
        mappingId: mapping.id,
        attempts: 2,
        processedAt: new Date(),
        bodyPurgedAt: new Date(),
      },
    });
    const interaction = await p.interaction.create({
      data: {
        orgId: org.id,
        originId: origin.id,
        sourceId: source.id,
        mappingId: mapping.id,
        eventId: event.id,
        resourceTypeId: rt.id,
        actionId: action.id,
        resourceType: "payment",
        action: "succeeded",
        resourceId: "pi_1",
        idempotencyKey: "evt_1",
        object: { _uowId: "u" },
      },
    });
    const replay = await p.inboundEvent.create({
      data: { orgId: org.id, sourceId: source.id, status: "queued", headers: {}, body: new Uint8Array(), replayOf: event.id, interactionId: interaction.id },
    });

    const target = await p.target.create({
      data: {
        orgId: org.id,
        name: "warehouse",
        url: "https://example.com/hook",
        active: false,
        authType: "header",
        authSecret: "s3cret",
        authHeaderName: "X-Key",
        signingEnabled: false,
        signingSecret: "whsec_x",
        maxAttempts: 3,
        backoff: "fixed",
        initialDelaySeconds: 2,
        timeoutSeconds: 4,
      },
    });
    const route = await p.route.create({ data: { orgId: org.id, mappingId: mapping.id, targetId: target.id, active: false } });
    const delivery = await p.delivery.create({
      data: {
        orgId: org.id,
        interactionId: interaction.id,
        targetId: target.id,
        status: "failed",
        attempts: [{ at: new Date().toISOString(), status: 500, ms: 3, responseBody: "no" }],
        budgetAttempts: 1,
        nextAttemptAt: new Date(),
        leaseUntil: new Date(),
      },
    });
    expect(await p.target.findUniqueOrThrow({ where: { id: target.id } })).toEqual(target);
    expect(await p.route.findUniqueOrThrow({ where: { id: route.id } })).toEqual(route);
    expect(await p.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toEqual(delivery);
    await expect(p.route.create({ data: { orgId: org.id, mappingId: mapping.id, targetId: target.id } })).rejects.toThrow();

    const secret = await p.orgSecret.create({ data: { orgId: org.id, name: "STRIPE_WEBHOOK_SECRET", value: "whsec_x" } });
    const pkg = await p.flowPackage.create({ data: { orgId: org.id, name: "stripe-payments" } });
    const version = await p.flowPackageVersion.create({
      data: {
        orgId: org.id,
        packageId: pkg.id,
        version: "1.0.0",
        digest: "a".repeat(64),
        status: "sandbox_validated",
        files: { "provider-flow.yaml": "YQ==" },
        evidence: { status: "sandbox-validated" },
        uploadedBy: "u",
        uploadedByActor: "user:u",
        appliedAt: new Date(),
        appliedBy: "u",
        revalidation: { ok: true },
        revalidatedAt: new Date(),
      },
    });
    const approval = await p.flowApproval.create({
      data: { orgId: org.id, versionId: version.id, digest: version.digest, approvedBy: "reviewer@x", approverActor: "token:t", role: "reviewer", note: "ok" },
    });
    const managed = await p.inboundSource.update({ where: { id: source.id }, data: { managedBy: "stripe-payments/payment-webhook" } });
    expect(managed.managedBy).toBe("stripe-payments/payment-webhook");
    expect(await p.orgSecret.findUniqueOrThrow({ where: { id: secret.id } })).toEqual(secret);
    expect(await p.flowPackage.findUniqueOrThrow({ where: { id: pkg.id } })).toEqual(pkg);
    expect(await p.flowPackageVersion.findUniqueOrThrow({ where: { id: version.id } })).toEqual(version);
    expect(await p.flowApproval.findUniqueOrThrow({ where: { id: approval.id } })).toEqual(approval);
    // The enum's database spelling is the spec's ("sandbox-validated").
    const raw = await p.$queryRawUnsafe<{ status: string }[]>(`SELECT status::text AS status FROM "FlowPackageVersion" WHERE id = $1::uuid`, version.id);
    expect(raw[0]!.status).toBe("sandbox-validated");
    for (const m of [mapping, target, route]) expect(m).toHaveProperty("managedBy", null);
    expect(org.environment).toBe("production");

    expect(await p.org.findUniqueOrThrow({ where: { id: org.id } })).toEqual(org);
    expect(await p.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(user);
    expect(await p.session.findUniqueOrThrow({ where: { id: session.id } })).toEqual(session);
    expect(await p.apiToken.findUniqueOrThrow({ where: { id: token.id } })).toEqual(token);
    expect(await p.origin.findUniqueOrThrow({ where: { id: origin.id } })).toEqual(origin);
    expect(await p.inboundSource.findUniqueOrThrow({ where: { id: source.id } })).toEqual(managed);
    expect(await p.resourceType.findUniqueOrThrow({ where: { id: rt.id } })).toEqual(rt);
    expect(await p.action.findUniqueOrThrow({ where: { id: action.id } })).toEqual(action);
    expect(await p.inboundMapping.findUniqueOrThrow({ where: { id: mapping.id } })).toEqual(mapping);
    expect(await p.inboundEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
    expect(await p.inboundEvent.findUniqueOrThrow({ where: { id: replay.id } })).toEqual(replay);
    expect(await p.interaction.findUniqueOrThrow({ where: { id: interaction.id } })).toEqual(interaction);

    const counted = await p.failedRequestCount.create({
      data: { sourceId: source.id, orgId: org.id, hour: new Date("2026-12-04T10:00:00Z"), stored: 100, counted: 12_345 },
    });
    expect(await p.failedRequestCount.findUniqueOrThrow({ where: { sourceId_hour: { sourceId: source.id, hour: counted.hour } } })).toEqual(counted);
    await expect(p.failedRequestCount.create({ data: { sourceId: source.id, orgId: org.id, hour: counted.hour } })).rejects.toThrow();

    // The unique index that deduplication relies on exists and treats NULL keys as distinct.
    const base = { orgId: org.id, originId: origin.id, sourceId: source.id, mappingId: mapping.id, eventId: event.id, resourceTypeId: rt.id, actionId: action.id, resourceType: "payment", action: "succeeded", resourceId: "pi_2", object: {} };
    await expect(p.interaction.create({ data: { ...base, idempotencyKey: "evt_1" } })).rejects.toThrow();
    await p.interaction.create({ data: { ...base, idempotencyKey: null } });
    await p.interaction.create({ data: { ...base, idempotencyKey: null } });
    // Mnemonics are unique per org.
    await expect(
      p.inboundSource.create({ data: { orgId: org.id, originId: (await p.origin.create({ data: { orgId: org.id, name: "o2" } })).id, title: "S", mnemonic: "S1" } }),
    ).rejects.toThrow();
  });
});
