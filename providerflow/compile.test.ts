import { beforeAll, describe, expect, test } from "vitest";
import { MappingCreate } from "../lib/schemas/mappings";
import { SourceCreate } from "../lib/schemas/sources";
import { TargetCreate } from "../lib/schemas/targets";
import { checkPackage, type CheckedPackage } from "./check";
import {
  PRIORITY_BASE,
  compilePackage,
  mappingCreateInput,
  originOf,
  resolveSourceInput,
  resolveTargetInput,
  titleFromName,
  type CompiledPackage,
} from "./compile";
import { canonicalJson } from "./digest";
import type { PackageFiles } from "./load-package";
import { loadTestPackage, withContractEdits } from "./test-packages/packages";

let valid: PackageFiles;
let checked: CheckedPackage;
let compiled: CompiledPackage;

function checkedOf(files: PackageFiles): { pkg: CheckedPackage; compiled: CompiledPackage } {
  const result = checkPackage(files);
  if (!result.ok) throw new Error(`expected a valid package: ${JSON.stringify(result.findings)}`);
  return { pkg: result.package, compiled: result.compiled };
}

beforeAll(async () => {
  valid = await loadTestPackage("valid-stripe");
  ({ pkg: checked, compiled } = checkedOf(valid));
});

const SECRETS: Record<string, string> = {
  STRIPE_WEBHOOK_SECRET: "whsec_test_stripe_endpoint_secret",
  DW_TOKEN: "dw-token-value",
  AUDIT_API_KEY: "audit-key-value",
  SIGNING: `whsec_${Buffer.alloc(32, 7).toString("base64")}`,
  BASIC_PASSWORD: "p:ss word",
};
const lookup = (ref: string) => SECRETS[ref];

describe("compilePackage on valid-stripe", () => {
  test("package metadata and the secrets it names", () => {
    expect(compiled.package).toEqual({
      name: "stripe-payments",
      version: "1.0.0",
      provider: "stripe",
      description: "Stripe payment events into the warehouse",
    });
    expect(compiled.secretRefs).toEqual(["AUDIT_API_KEY", "DW_TOKEN", "STRIPE_WEBHOOK_SECRET"]);
  });

  test("the endpoint becomes a source whose secret is named, not resolved", () => {
    expect(compiled.sources).toHaveLength(1);
    const [source] = compiled.sources;
    expect(source?.endpoint).toBe("payment-webhook");
    expect(source?.pointer).toBe("/endpoints/0");
    expect(source?.input).toEqual({
      title: "Payment webhook",
      mnemonic: "payment-webhook",
      description: null,
      active: true,
      verification: { preset: "stripe", secretRef: "STRIPE_WEBHOOK_SECRET" },
      payloadSchema: checked.schemaFiles.get("schemas/stripe-event.json")?.schema,
    });
    expect(JSON.stringify(source?.input)).not.toContain('"secret"');
  });

  test("each flow becomes one mapping, priorities in declaration order", () => {
    expect(compiled.mappings.map((m) => [m.flow, m.endpoint, m.priority])).toEqual([
      ["payment-events", "payment-webhook", PRIORITY_BASE],
      ["refunds", "payment-webhook", PRIORITY_BASE - 1],
    ]);
    const [payments, refunds] = compiled.mappings;
    expect(payments?.input).toEqual({
      title: "payment-events",
      active: true,
      priority: 1000,
      resourceType: "payment",
      actionPath: "type",
      conditions: [{ path: "type", op: "startsWith", value: "payment_intent." }],
      payloadSchema: checked.schemaFiles.get("schemas/payment-intent.json")?.schema,
      schemaRootPath: "data.object",
      idempotencyPath: "id",
      resourceIdPath: "data.object.id",
      fieldMappings: { amount: "data.object.amount", currency: "data.object.currency" },
      metadataPaths: { userId: "data.object.metadata.user_id" },
    });
    // `action: { path }` → actionPath only; the key `action` is absent, not null.
    expect(Object.hasOwn(payments?.input ?? {}, "action")).toBe(false);
    expect(refunds?.input).toMatchObject({
      action: "refunded",
      payloadSchema: null,
      schemaRootPath: null,
      fieldMappings: null,
      metadataPaths: null,
    });
    expect(Object.hasOwn(refunds?.input ?? {}, "actionPath")).toBe(false);
  });

  test("the conditions of several filter steps are joined, each traceable to its line", () => {
    const refunds = compiled.mappings[1];
    expect(refunds?.input.conditions).toEqual([
      { path: "type", op: "eq", value: "charge.refunded" },
      { path: "data.object.amount_refunded", op: "gt", value: 0 },
      { path: "data.object.currency", op: "matches", value: "^[a-z]{3}$" },
    ]);
    expect(refunds?.conditionPointers).toEqual([
      "/flows/1/steps/0/filter/all/0",
      "/flows/1/steps/1/filter/all/0",
      "/flows/1/steps/1/filter/all/1",
    ]);
  });

  test("targets get the API's defaults, and secrets stay named", () => {
    expect(compiled.targets.map((t) => t.input)).toEqual([
      {
        name: "data-warehouse",
        url: "https://api.data-warehouse.com/events",
        active: true,
        auth: { type: "bearer", secretRef: "DW_TOKEN" },
        signing: { type: "standard-webhooks", enabled: true },
        retry: { maxAttempts: 8, backoff: "exponential", initialDelaySeconds: 5 },
        timeoutSeconds: 10,
      },
      {
        name: "billing-audit",
        url: "https://audit.example.com/hooks/stripe",
        active: true,
        auth: { type: "header", headerName: "X-Api-Key", secretRef: "AUDIT_API_KEY" },
        signing: { type: "standard-webhooks", enabled: true },
        retry: { maxAttempts: 8, backoff: "exponential", initialDelaySeconds: 5 },
        timeoutSeconds: 15,
      },
    ]);
  });

  test("routes: every flow × each of its targets", () => {
    expect(compiled.routes).toEqual([
      { flow: "payment-events", target: "data-warehouse", pointer: "/flows/0/target" },
      { flow: "refunds", target: "data-warehouse", pointer: "/flows/1/targets/0" },
      { flow: "refunds", target: "billing-audit", pointer: "/flows/1/targets/1" },
    ]);
  });

  test("is deterministic: the same package compiles to identical bytes", async () => {
    const again = checkedOf(await loadTestPackage("valid-stripe")).compiled;
    expect(canonicalJson(again)).toBe(canonicalJson(compiled));
    expect(canonicalJson(compilePackage(checked))).toBe(canonicalJson(compiled));
  });

  test("compiled inputs share no objects with the checked package", () => {
    const again = compilePackage(checked);
    (again.sources[0]?.input.payloadSchema as Record<string, unknown>).title = "changed";
    expect(checked.schemaFiles.get("schemas/stripe-event.json")?.schema.title).toBe("Stripe event envelope");
  });
});

describe("compilePackage, other shapes", () => {
  test("flows on different endpoints each start at the base priority", () => {
    const files = withContractEdits(valid, [
      [
        "\ntargets:\n",
        "  - name: connect-webhook\n    verification: { preset: stripe, secretRef: CONNECT_SECRET }\n\ntargets:\n",
      ],
      ["  - name: refunds\n    endpoint: payment-webhook", "  - name: refunds\n    endpoint: connect-webhook"],
    ]);
    const { compiled: c } = checkedOf(files);
    expect(c.mappings.map((m) => [m.flow, m.endpoint, m.priority])).toEqual([
      ["payment-events", "payment-webhook", 1000],
      ["refunds", "connect-webhook", 1000],
    ]);
    expect(c.sources.map((s) => [s.endpoint, s.input.title, s.input.payloadSchema === null])).toEqual([
      ["payment-webhook", "Payment webhook", false],
      ["connect-webhook", "Connect webhook", true],
    ]);
  });

  test("standard-webhooks auth signs with the referenced secret; basic carries the username", () => {
    const files = withContractEdits(valid, [
      ["auth: { type: bearer, secretRef: DW_TOKEN }", "auth: { type: standard-webhooks, secretRef: SIGNING }"],
      [
        "auth: { type: header, headerName: X-Api-Key, secretRef: AUDIT_API_KEY }",
        "auth: { type: basic, username: auditor, secretRef: BASIC_PASSWORD }",
      ],
    ]);
    const { compiled: c } = checkedOf(files);
    expect(c.targets.map((t) => [t.input.auth, t.input.signing])).toEqual([
      [{ type: "none" }, { type: "standard-webhooks", enabled: true, secretRef: "SIGNING" }],
      [
        { type: "basic", username: "auditor", secretRef: "BASIC_PASSWORD" },
        { type: "standard-webhooks", enabled: true },
      ],
    ]);
    const signed = resolveTargetInput(c.targets[0]!.input, lookup);
    expect(signed).toMatchObject({ ok: true, signingSecret: SECRETS.SIGNING, input: { auth: { type: "none" } } });
    const basic = resolveTargetInput(c.targets[1]!.input, lookup);
    expect(basic).toMatchObject({
      ok: true,
      signingSecret: null,
      input: { auth: { type: "basic", secret: "auditor:p:ss word" } },
    });
  });

  test("an inline schema and a YAML alias compile to independent copies", () => {
    const files = withContractEdits(valid, [
      ["payloadSchema: schemas/stripe-event.json", "payloadSchema: &envelope { type: object, required: [id, type] }"],
      ["schema: schemas/payment-intent.json", "schema: *envelope"],
    ]);
    const { compiled: c } = checkedOf(files);
    const sourceSchema = c.sources[0]?.input.payloadSchema;
    const mappingSchema = c.mappings[0]?.input.payloadSchema;
    expect(sourceSchema).toEqual({ type: "object", required: ["id", "type"] });
    expect(mappingSchema).toEqual(sourceSchema);
    expect(mappingSchema).not.toBe(sourceSchema);
    expect(c.sources[0]?.origins["/payloadSchema"]).toEqual({
      file: "provider-flow.yaml",
      pointer: "/endpoints/0/payloadSchema",
    });
  });
});

describe("origins", () => {
  test("map an input pointer back to the file and pointer it came from", () => {
    const refunds = compiled.mappings[1]!;
    expect(originOf(refunds.origins, "/conditions/2/value")).toEqual({
      file: "provider-flow.yaml",
      pointer: "/flows/1/steps/1/filter/all/1/value",
    });
    expect(originOf(refunds.origins, "/resourceType")).toEqual({
      file: "provider-flow.yaml",
      pointer: "/flows/1/steps/2/map/resourceType",
    });
    const payments = compiled.mappings[0]!;
    expect(originOf(payments.origins, "/payloadSchema/properties/id")).toEqual({
      file: "schemas/payment-intent.json",
      pointer: "/properties/id",
    });
    expect(originOf(payments.origins, "/fieldMappings/amount")).toEqual({
      file: "provider-flow.yaml",
      pointer: "/flows/0/steps/2/map/fields/amount",
    });
    expect(originOf(compiled.sources[0]!.origins, "/mnemonic")).toEqual({
      file: "provider-flow.yaml",
      pointer: "/endpoints/0/name",
    });
    expect(originOf(compiled.targets[1]!.origins, "/auth/secret")).toEqual({
      file: "provider-flow.yaml",
      pointer: "/targets/1/auth/secretRef",
    });
    expect(originOf(compiled.targets[1]!.origins, "/nothing/here")).toEqual({
      file: "provider-flow.yaml",
      pointer: "/targets/1/nothing/here",
    });
  });
});

describe("the management API accepts what the compiler produces", () => {
  test("sources, once the secret is looked up", () => {
    const resolved = resolveSourceInput(compiled.sources[0]!.input, lookup);
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(resolved.input.verification).toEqual({ preset: "stripe", secret: SECRETS.STRIPE_WEBHOOK_SECRET });
    expect(SourceCreate.safeParse(resolved.input).success).toBe(true);
  });

  test("mappings, once the source id is known", () => {
    for (const mapping of compiled.mappings) {
      const body = mappingCreateInput(mapping.input, "6f1c1e1e-8a3c-4d2e-9b7a-1c2d3e4f5a6b");
      const parsed = MappingCreate.safeParse(body);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });

  test("targets, once secrets are looked up", () => {
    for (const target of compiled.targets) {
      const resolved = resolveTargetInput(target.input, lookup);
      expect(resolved.ok).toBe(true);
      if (!resolved.ok) continue;
      const parsed = TargetCreate.safeParse(resolved.input);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });

  test("a missing secret is named, never guessed", () => {
    expect(resolveSourceInput(compiled.sources[0]!.input, () => undefined)).toEqual({
      ok: false,
      missing: ["STRIPE_WEBHOOK_SECRET"],
    });
    expect(resolveTargetInput(compiled.targets[1]!.input, () => "")).toEqual({ ok: false, missing: ["AUDIT_API_KEY"] });
  });
});

test("titleFromName", () => {
  expect(titleFromName("payment-webhook")).toBe("Payment webhook");
  expect(titleFromName("github")).toBe("Github");
  expect(titleFromName("a--b")).toBe("A b");
  expect(titleFromName("1st-hook")).toBe("1st hook");
});
