// The demo org: a Stripe source and a GitHub source with mappings, an API token, and a
// handful of events sent through the real pipeline (signed as the providers sign), so a
// new user sees interactions, duplicates, unmatched and failed events on first start.
// Runs once: an org that already has sources is left alone.
import { createHmac } from "node:crypto";
import { ApiTokenCreate } from "@/lib/schemas/api-tokens";
import { MappingCreate } from "@/lib/schemas/mappings";
import { SourceCreate } from "@/lib/schemas/sources";
import { handleInbound } from "@/lib/inbound/handle-inbound";
import { runtime } from "@/lib/runtime";
import { createApiToken } from "@/lib/store/api-tokens";
import { createMapping } from "@/lib/store/mappings";
import { ensureOrg } from "@/lib/boot/accounts";
import { prisma } from "@/lib/db";
import { createSource } from "@/lib/store/sources";

export const DEMO_SLUG = "demo";
/** Demo-only secrets, documented in the README so the curl walkthrough can sign. */
export const DEMO_STRIPE_SECRET = "whsec_provenance_demo_stripe";
export const DEMO_GITHUB_SECRET = "provenance-demo-github-secret";

export type DemoSeedResult = { created: boolean; apiToken?: string };

export async function seedDemo(): Promise<DemoSeedResult> {
  const org = await ensureOrg(DEMO_SLUG, "Demo");
  if ((await prisma().inboundSource.count({ where: { orgId: org.id } })) > 0) return { created: false };

  const stripe = await createSource(
    org.id,
    SourceCreate.parse({
      title: "Stripe (demo)",
      mnemonic: "stripe",
      description: "Stripe payment events. Demo secret: replace it before real use.",
      verification: { preset: "stripe", secret: DEMO_STRIPE_SECRET },
      payloadSchema: {
        type: "object",
        required: ["id", "type", "data"],
        properties: { id: { type: "string", pattern: "^evt_" }, type: { type: "string" }, data: { type: "object" } },
      },
    }),
  );
  await createMapping(
    org.id,
    MappingCreate.parse({
      sourceId: stripe.id,
      title: "Payment succeeded",
      priority: 10,
      resourceType: "payment",
      action: "succeeded",
      conditions: [{ path: "type", op: "eq", value: "payment_intent.succeeded" }],
      payloadSchema: {
        type: "object",
        required: ["id", "amount", "currency"],
        properties: { amount: { type: "integer", minimum: 1 }, currency: { type: "string", minLength: 3, maxLength: 3 } },
      },
      schemaRootPath: "data.object",
      idempotencyPath: "id",
      resourceIdPath: "data.object.id",
      fieldMappings: { amount: "data.object.amount", currency: "data.object.currency", customer: "data.object.customer" },
      metadataPaths: { userId: "data.object.metadata.user_id" },
    }),
  );
  await createMapping(
    org.id,
    MappingCreate.parse({
      sourceId: stripe.id,
      title: "Payment failed",
      priority: 5,
      resourceType: "payment",
      action: "failed",
      conditions: [{ path: "type", op: "eq", value: "payment_intent.payment_failed" }],
      idempotencyPath: "id",
      resourceIdPath: "data.object.id",
      fieldMappings: { amount: "data.object.amount", reason: "data.object.last_payment_error.message" },
    }),
  );

  const github = await createSource(
    org.id,
    SourceCreate.parse({
      title: "GitHub (demo)",
      mnemonic: "github",
      description: "Pushes and pull requests. Demo secret: replace it before real use.",
      verification: { preset: "github", secret: DEMO_GITHUB_SECRET },
    }),
  );
  await createMapping(
    org.id,
    MappingCreate.parse({
      sourceId: github.id,
      title: "Branch pushed",
      resourceType: "repository",
      action: "pushed",
      conditions: [
        { path: "ref", op: "startsWith", value: "refs/heads/" },
        { path: "after", op: "exists" },
      ],
      idempotencyPath: "after",
      resourceIdPath: "repository.full_name",
      fieldMappings: { ref: "ref", commit: "after", pusher: "pusher.name" },
    }),
  );
  await createMapping(
    org.id,
    MappingCreate.parse({
      sourceId: github.id,
      title: "Pull request opened",
      resourceType: "pull_request",
      action: "opened",
      conditions: [
        { path: "action", op: "eq", value: "opened" },
        { path: "pull_request", op: "exists" },
      ],
      resourceIdPath: "pull_request.id",
      fieldMappings: { number: "pull_request.number", title: "pull_request.title", repository: "repository.full_name" },
      metadataPaths: { userId: "sender.login" },
    }),
  );

  const token = await createApiToken(org.id, ApiTokenCreate.parse({ name: "demo", role: "admin" }));
  await sendDemoEvents();
  return { created: true, apiToken: token.token };
}

async function sendDemoEvents(): Promise<void> {
  const deps = { ...runtime().deps, syncAllowed: true };
  const send = (mnemonic: string, body: string, headers: Record<string, string>) =>
    handleInbound(
      {
        slug: DEMO_SLUG,
        key: { mnemonic },
        sync: true,
        headers: { "content-type": "application/json", "user-agent": "provenance-demo-seed", ...headers },
        readBody: async () => ({ ok: true, bytes: new TextEncoder().encode(body) }),
      },
      deps,
    );
  const now = Math.floor(Date.now() / 1000);
  const stripeSig = (body: string, secret = DEMO_STRIPE_SECRET) =>
    `t=${now},v1=${createHmac("sha256", secret).update(`${now}.${body}`).digest("hex")}`;
  const githubSig = (body: string) => `sha256=${createHmac("sha256", DEMO_GITHUB_SECRET).update(body).digest("hex")}`;

  const payment = (id: string, type: string, object: Record<string, unknown>) =>
    JSON.stringify({ id, object: "event", type, created: now, livemode: false, data: { object } });
  const succeeded = payment("evt_demo_0001", "payment_intent.succeeded", {
    id: "pi_demo_0001",
    object: "payment_intent",
    amount: 2000,
    currency: "usd",
    customer: "cus_demo_1",
    metadata: { user_id: "u_42" },
  });
  const events: [string, string, Record<string, string>][] = [
    ["stripe", succeeded, { "stripe-signature": stripeSig(succeeded) }],
    // The provider retried: deduplicated on the event id.
    ["stripe", succeeded, { "stripe-signature": stripeSig(succeeded) }],
  ];
  const second = payment("evt_demo_0002", "payment_intent.succeeded", {
    id: "pi_demo_0002",
    object: "payment_intent",
    amount: 4599,
    currency: "eur",
    customer: "cus_demo_2",
    metadata: { user_id: "u_7" },
  });
  events.push(["stripe", second, { "stripe-signature": stripeSig(second) }]);
  const failed = payment("evt_demo_0003", "payment_intent.payment_failed", {
    id: "pi_demo_0003",
    object: "payment_intent",
    amount: 1200,
    currency: "usd",
    last_payment_error: { message: "Your card was declined." },
  });
  events.push(["stripe", failed, { "stripe-signature": stripeSig(failed) }]);
  const customer = payment("evt_demo_0004", "customer.created", { id: "cus_demo_3", object: "customer" });
  events.push(["stripe", customer, { "stripe-signature": stripeSig(customer) }]);
  const forged = payment("evt_demo_0005", "payment_intent.succeeded", { id: "pi_forged", amount: 999999, currency: "usd" });
  events.push(["stripe", forged, { "stripe-signature": stripeSig(forged, "whsec_not_the_secret") }]);

  const push = JSON.stringify({
    ref: "refs/heads/main",
    before: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
    after: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
    repository: { id: 1296269, full_name: "octocat/Hello-World" },
    pusher: { name: "octocat" },
  });
  events.push(["github", push, { "x-github-event": "push", "x-hub-signature-256": githubSig(push) }]);
  const pr = JSON.stringify({
    action: "opened",
    number: 1347,
    pull_request: { id: 1, number: 1347, title: "Amazing new feature" },
    repository: { id: 1296269, full_name: "octocat/Hello-World" },
    sender: { login: "octocat" },
  });
  events.push(["github", pr, { "x-github-event": "pull_request", "x-hub-signature-256": githubSig(pr) }]);

  for (const [mnemonic, body, headers] of events) await send(mnemonic, body, headers);
}
