// Sandbox scenarios for tests: valid-stripe plus one fixture per path through the
// pipeline, built in memory so the package on disk keeps its single fixture (other
// suites count on it). With these fixtures every flow is reached and every condition
// is seen passing and failing, so the scenario package has no scan finding at all.

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import Stripe from "stripe";
import { evaluatePackage } from "../evaluate";
import { renderGolden } from "../golden";
import type { PackageFiles } from "../load-package";
import { withFiles } from "./packages";

/** Values for valid-stripe's secretRefs. Not real; each is distinctive so a leak is easy to find. */
export const TEST_SECRETS: Readonly<Record<string, string>> = Object.freeze({
  STRIPE_WEBHOOK_SECRET: "stripe-test-signing-secret-7c1e",
  DW_TOKEN: "dw-test-token-5b0a91",
  AUDIT_API_KEY: "audit-test-key-3e8d22",
});

export const testSecrets = (ref: string): string | undefined =>
  Object.hasOwn(TEST_SECRETS, ref) ? TEST_SECRETS[ref] : undefined;

/** 2025-01-01T00:00:00Z, the sandbox's default clock, in Unix seconds. */
export const FIXED_CLOCK_SECONDS = 1735689600;

const JSON_HEADERS = { "content-type": "application/json" };

export const SCENARIO_FIXTURES: Readonly<Record<string, unknown>> = Object.freeze({
  "charge-refunded": {
    description: "A refund: the refunds flow, delivered to both of its targets",
    headers: JSON_HEADERS,
    body: { id: "evt_2", type: "charge.refunded", data: { object: { id: "ch_1", amount_refunded: 500, currency: "usd" } } },
  },
  "customer-created": {
    description: "An event no flow handles",
    headers: JSON_HEADERS,
    body: { id: "evt_3", type: "customer.created", data: { object: { id: "cus_1" } } },
  },
  "negative-amount": {
    description: "A payment intent the validate step refuses",
    headers: JSON_HEADERS,
    body: { id: "evt_4", type: "payment_intent.created", data: { object: { id: "pi_2", amount: -5, currency: "eur" } } },
  },
  "forged-signature": {
    description: "A request whose signature is wrong: the route refuses it",
    headers: { ...JSON_HEADERS, "stripe-signature": `t=${FIXED_CLOCK_SECONDS},v1=${"0".repeat(64)}` },
    body: { id: "evt_5", type: "payment_intent.succeeded", data: { object: { id: "pi_3", amount: 1, currency: "eur" } } },
    expectSignature: "invalid",
  },
});

/** valid-stripe with the scenario fixtures added (no goldens for them yet). */
export function withScenarios(valid: PackageFiles): PackageFiles {
  return withFiles(
    valid,
    Object.fromEntries(
      Object.entries(SCENARIO_FIXTURES).map(([name, f]) => [`fixtures/${name}.json`, `${JSON.stringify(f, null, 2)}\n`]),
    ),
  );
}

/** The package with every golden written from a sandbox run, as `test --update` does. */
export async function withGoldensFromRun(files: PackageFiles, secrets = testSecrets): Promise<PackageFiles> {
  const run = await evaluatePackage(files, { secrets });
  return withFiles(
    files,
    Object.fromEntries(Object.entries(run.results).map(([name, result]) => [`goldens/${name}.json`, renderGolden(result)])),
  );
}

/** A Stripe-Signature header from the stripe library itself, at `timestamp` (default: the fixed clock). */
export function stripeSignature(payload: string, secret: string, timestamp = FIXED_CLOCK_SECONDS): string {
  return new Stripe("sk_test_x").webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** A fixture file signed by the stripe library (the fixture's bytes are JSON.stringify(body)). */
export function signedFixture(body: unknown, secret: string, extra: Record<string, unknown> = {}, timestamp?: number): string {
  const payload = JSON.stringify(body);
  return `${JSON.stringify({ headers: { ...JSON_HEADERS, "stripe-signature": stripeSignature(payload, secret, timestamp) }, body, ...extra }, null, 2)}\n`;
}

/** Writes a package's files into `dir` (for the CLI tests). */
export async function writePackage(dir: string, files: PackageFiles): Promise<void> {
  for (const [relative, bytes] of files) {
    const file = path.join(dir, ...relative.split("/"));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
}

/** A secrets file (NAME=VALUE) holding TEST_SECRETS. */
export function secretsFileText(secrets: Readonly<Record<string, string>> = TEST_SECRETS): string {
  return `${Object.entries(secrets)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;
}
