// Starting points for a new package, one per provider preset (the console's "New
// package"): a contract that verifies the provider's signature with the preset, one
// target, one flow mapping a realistic event, a fixture the flow handles and one it does
// not, and their goldens. Like `providerflow init`, the goldens are the sandbox's own
// results, so a template passes `test` as written; fixtures carry no signature header, so
// the sandbox signs them with whatever secret the run resolves (sign-fixture.ts), and
// the goldens do not depend on its value.
import { evaluatePackage } from "./evaluate";
import { renderGolden } from "./golden";
import { NAME_RE } from "./init";
import { packageFromFiles } from "./load-package";

export const TEMPLATE_PRESETS = ["stripe", "github", "shopify", "slack", "standard-webhooks", "generic"] as const;
export type TemplatePreset = (typeof TEMPLATE_PRESETS)[number];

type Fixture = { description: string; headers: Record<string, string>; body: unknown };

type Template = {
  provider: string;
  description: string;
  /** The verification block's lines (YAML, indented under the endpoint), or null for none. */
  secretRef: string | null;
  verificationPreset: string | null;
  targetUrl: string;
  filter: string;
  map: string[];
  handled: Fixture;
  ignored: Fixture;
};

const JSON_HEADERS = { "content-type": "application/json" };

const TEMPLATES: Record<TemplatePreset, Template> = {
  stripe: {
    provider: "stripe",
    description: "Stripe payment intents that succeeded, verified with the stripe preset",
    secretRef: "STRIPE_WEBHOOK_SECRET",
    verificationPreset: "stripe",
    targetUrl: "https://example.com/webhooks/payments",
    filter: '{ all: [ { path: type, op: eq, value: "payment_intent.succeeded" } ] }',
    map: [
      "resourceType: payment",
      "action: { path: type }",
      "resourceIdPath: data.object.id",
      "idempotencyPath: id",
      "fields: { amount: data.object.amount, currency: data.object.currency, customer: data.object.customer }",
    ],
    handled: {
      description: "payment_intent.succeeded: handled",
      headers: { ...JSON_HEADERS, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" },
      body: {
        id: "evt_1QcTemplate00001",
        object: "event",
        type: "payment_intent.succeeded",
        created: 1735693198,
        data: { object: { id: "pi_1QcTemplate00001", object: "payment_intent", amount: 4999, currency: "usd", customer: "cus_Template01" } },
      },
    },
    ignored: {
      description: "customer.created: no flow handles it (200, no interaction)",
      headers: { ...JSON_HEADERS, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" },
      body: { id: "evt_1QcTemplate00002", object: "event", type: "customer.created", created: 1735693199, data: { object: { id: "cus_Template02", object: "customer" } } },
    },
  },
  github: {
    provider: "github",
    description: "GitHub pushes, verified with the github preset (X-Hub-Signature-256)",
    secretRef: "GITHUB_WEBHOOK_SECRET",
    verificationPreset: "github",
    targetUrl: "https://example.com/webhooks/pushes",
    // GitHub names the event in X-GitHub-Event and the delivery in X-GitHub-Delivery: the
    // flow selects on the one and deduplicates redeliveries on the other.
    filter: "{ all: [ { path: $headers.x-github-event, op: eq, value: push } ] }",
    map: [
      "resourceType: repository",
      "action: pushed",
      "resourceIdPath: repository.id",
      "idempotencyPath: $headers.x-github-delivery",
      "fields: { repository: repository.full_name, ref: ref, commit: after, pusher: pusher.name }",
    ],
    handled: {
      description: "A push to main: handled",
      headers: { ...JSON_HEADERS, "x-github-event": "push", "x-github-delivery": "6c1e2a50-0000-11ef-8000-000000000001" },
      body: {
        ref: "refs/heads/main",
        before: "0000000000000000000000000000000000000000",
        after: "4c5b5c3f0e8e1a2b3c4d5e6f708192a3b4c5d6e7",
        repository: { id: 1296269, full_name: "octocat/Hello-World" },
        pusher: { name: "octocat", email: "octocat@github.com" },
      },
    },
    ignored: {
      description: "A ping (sent when the webhook is created): no flow handles it",
      headers: { ...JSON_HEADERS, "x-github-event": "ping", "x-github-delivery": "6c1e2a50-0000-11ef-8000-000000000002" },
      body: { zen: "Keep it logically awesome.", hook_id: 12345678 },
    },
  },
  shopify: {
    provider: "shopify",
    description: "Shopify orders, verified with the shopify preset (X-Shopify-Hmac-Sha256)",
    secretRef: "SHOPIFY_WEBHOOK_SECRET",
    verificationPreset: "shopify",
    targetUrl: "https://example.com/webhooks/orders",
    // Shopify names the topic in X-Shopify-Topic and the delivery in X-Shopify-Webhook-Id.
    filter: "{ all: [ { path: $headers.x-shopify-topic, op: eq, value: orders/create } ] }",
    map: [
      "resourceType: order",
      "action: created",
      "resourceIdPath: id",
      "idempotencyPath: $headers.x-shopify-webhook-id",
      "fields: { number: order_number, total: total_price, currency: currency, email: email }",
    ],
    handled: {
      description: "orders/create: handled",
      headers: {
        ...JSON_HEADERS,
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": "example.myshopify.com",
        "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      },
      body: { id: 820982911946154500, order_number: 1001, total_price: "59.90", currency: "EUR", email: "jon@example.com", line_items: [{ id: 866550311766439000, quantity: 1 }] },
    },
    ignored: {
      description: "customers/create: no flow handles it",
      headers: {
        ...JSON_HEADERS,
        "x-shopify-topic": "customers/create",
        "x-shopify-shop-domain": "example.myshopify.com",
        "x-shopify-webhook-id": "1f0c6d2e-7a8b-4c3d-9e0f-a1b2c3d4e5f6",
      },
      body: { id: 706405506930370000, email: "bob@example.com" },
    },
  },
  slack: {
    provider: "slack",
    description: "Slack Events API callbacks, verified with the slack preset (X-Slack-Signature)",
    secretRef: "SLACK_SIGNING_SECRET",
    verificationPreset: "slack",
    targetUrl: "https://example.com/webhooks/slack",
    filter: '{ all: [ { path: type, op: eq, value: "event_callback" } ] }',
    map: ["resourceType: message", "action: { path: event.type }", "resourceIdPath: event.ts", "idempotencyPath: event_id", "fields: { channel: event.channel, user: event.user, text: event.text }"],
    handled: {
      description: "A message event: handled",
      headers: JSON_HEADERS,
      body: { type: "event_callback", team_id: "T0001", event_id: "Ev0TEMPLATE1", event: { type: "message", channel: "C0001", user: "U0001", text: "hello", ts: "1735693198.000100" } },
    },
    ignored: {
      description: "A url_verification handshake: no flow handles it",
      headers: JSON_HEADERS,
      body: { type: "url_verification", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" },
    },
  },
  "standard-webhooks": {
    provider: "standard-webhooks",
    description: "Events from a Standard Webhooks sender, verified with the standard-webhooks preset",
    secretRef: "WEBHOOK_SIGNING_SECRET",
    verificationPreset: "standard-webhooks",
    targetUrl: "https://example.com/webhooks/events",
    filter: "{ all: [ { path: type, op: exists }, { path: data.id, op: exists } ] }",
    // webhook-id names the message: the same message sent again is a duplicate.
    map: ["resourceType: event", "action: { path: type }", "resourceIdPath: data.id", "idempotencyPath: $headers.webhook-id"],
    handled: {
      description: "contact.created: handled",
      headers: JSON_HEADERS,
      body: { type: "contact.created", timestamp: "2024-12-31T12:00:00Z", data: { id: "con_template_1", email: "ada@example.com" } },
    },
    ignored: {
      description: "An event without data.id: no flow handles it",
      headers: JSON_HEADERS,
      body: { type: "ping", timestamp: "2024-12-31T12:00:01Z" },
    },
  },
  generic: {
    provider: "example",
    description: "Events from any JSON sender (no signature verification yet: the scan warns until you add one)",
    secretRef: null,
    verificationPreset: null,
    targetUrl: "https://example.com/webhooks/events",
    filter: "{ all: [ { path: type, op: exists } ] }",
    map: ["resourceType: event", "action: { path: type }", "resourceIdPath: id", "idempotencyPath: id"],
    handled: { description: "An event the flow handles", headers: JSON_HEADERS, body: { id: "evt_1", type: "example.created", data: { name: "example" } } },
    ignored: { description: "A request without a type: no flow matches", headers: JSON_HEADERS, body: { id: "evt_2" } },
  },
};

function contractText(name: string, t: Template): string {
  const verification = t.verificationPreset
    ? `    verification: { preset: ${t.verificationPreset}, secretRef: ${t.secretRef} }\n`
    : "    # Verify signatures before going live, e.g. verification: { preset: hmac, secretRef: WEBHOOK_SECRET }\n";
  return `# ${name}: ${t.description}.
apiVersion: providerflow/v1
name: ${name}
version: 0.1.0
provider: ${t.provider}
description: ${JSON.stringify(t.description)}

endpoints:
  - name: webhook
    provider: ${t.provider}
${verification}
targets:
  - name: destination
    url: ${t.targetUrl}

flows:
  - name: events
    endpoint: webhook
    target: destination
    steps:
      - filter: ${t.filter}
      - map:
${t.map.map((line) => `          ${line}`).join("\n")}
`;
}

export type TemplateResult = { ok: true; files: Map<string, string> } | { ok: false; message: string };

/** The files of a new package from a preset's template (path → text), goldens included. */
export async function templatePackage(opts: { name: string; preset: TemplatePreset }): Promise<TemplateResult> {
  if (!NAME_RE.test(opts.name)) return { ok: false, message: `name "${opts.name}" must match ${NAME_RE.source}` };
  const t = TEMPLATES[opts.preset];
  const files = new Map<string, string>([
    ["provider-flow.yaml", contractText(opts.name, t)],
    [
      "README.md",
      `# ${opts.name}\n\n${t.description}.\n${t.secretRef ? `\nThe endpoint's signing secret is the org secret \`${t.secretRef}\`.\n` : ""}`,
    ],
    ["fixtures/handled.json", `${JSON.stringify(t.handled, null, 2)}\n`],
    ["fixtures/ignored.json", `${JSON.stringify(t.ignored, null, 2)}\n`],
  ]);
  const loaded = packageFromFiles(files);
  if (!loaded.ok) throw new Error(`internal: the ${opts.preset} template does not load: ${loaded.findings.map((f) => f.message).join("; ")}`);
  // Any value signs and verifies the fixtures alike; the goldens never hold it.
  const evaluation = await evaluatePackage(loaded.files, { secrets: (ref) => (ref === t.secretRef ? "template-signing-secret-0000000000" : undefined) });
  for (const fixture of ["handled", "ignored"]) {
    const result = evaluation.results[fixture];
    if (!result) throw new Error(`internal: the ${opts.preset} template's fixture ${fixture} did not run: ${evaluation.errors.map((e) => e.message).join("; ")}`);
    files.set(`goldens/${fixture}.json`, renderGolden(result));
  }
  return { ok: true, files };
}
