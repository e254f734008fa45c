// The example packages (providerflow/packages/*):
// 1. each is sandbox-validated, and its evidence is byte for byte the committed
//    evidence.json (so CI regenerates the evidence and compares);
// 2. each fixture's signature is judged by the provider's own library (or, for Shopify
//    and Slack, which publish none, by their documented algorithm written out here),
//    independently of lib/inbound/verify-signature.ts: the signature the fixture pins,
//    or, for the ordinary fixtures written unsigned, the one the sandbox makes, which
//    must also be byte for byte what the provider's library makes;
// 3. the fixtures are exactly what generate-fixtures.mjs writes from
//    sandbox-secrets.json, and no package file holds a sandbox secret;
// 4. docs/cli-reference.md quotes every command's --help output verbatim.

import { execFileSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { verify as verifyGithub } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { afterEach, describe, expect, test, vi } from "vitest";
import { runCli } from "../cli/main";
import { evaluatePackage, evaluationFiles } from "../evaluate";
import { filesOfKind, loadPackage } from "../load-package";
import { fixtureRequestHeaders } from "../sign-fixture";
import type { VerificationConfig } from "../../lib/inbound/types";
import { parse as parseYaml } from "yaml";

const HERE = import.meta.dirname;
const SECRETS: Record<string, string> = JSON.parse(readFileSync(path.join(HERE, "sandbox-secrets.json"), "utf8"));

const PACKAGES = ["github-pushes", "shopify-orders", "slack-events", "standard-webhooks-sender", "stripe-payments"] as const;
type PackageName = (typeof PACKAGES)[number];

type Fixture = {
  description?: string;
  endpoint?: string;
  headers: Record<string, string>;
  body: unknown;
  receivedAt?: string;
  expectSignature?: "valid" | "invalid";
};

function fixturesOf(pkg: string): [string, Fixture][] {
  const dir = path.join(HERE, pkg, "fixtures");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [f.slice(0, -".json".length), JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Fixture]);
}

/** The bytes the sandbox sends (providerflow.md §9): a string body as is, anything else compact JSON. */
const wire = (body: unknown): string => (typeof body === "string" ? body : JSON.stringify(body));
const receivedMs = (f: Fixture): number => Date.parse(f.receivedAt ?? "2025-01-01T00:00:00Z");

/** The endpoint's verification as the sandbox resolves it with the sandbox secrets. */
function verificationOf(pkg: string, endpoint: string | undefined): VerificationConfig {
  const contract = parseYaml(readFileSync(path.join(HERE, pkg, "provider-flow.yaml"), "utf8")) as {
    endpoints: { name: string; verification: Record<string, unknown> & { secretRef: string } }[];
  };
  const e = endpoint === undefined ? contract.endpoints[0] : contract.endpoints.find((x) => x.name === endpoint);
  if (!e) throw new Error(`${pkg}: no endpoint ${endpoint}`);
  const { secretRef, ...rest } = e.verification;
  return { ...rest, secret: SECRETS[secretRef] as string } as unknown as VerificationConfig;
}

/** The fixture as the sandbox sends it: signed by the run when it pins no signature. */
function asSent(pkg: string, name: string, f: Fixture): Fixture {
  const { headers } = fixtureRequestHeaders(verificationOf(pkg, f.endpoint), {
    name,
    headers: f.headers,
    body: Buffer.from(wire(f.body)),
    receivedAtMs: receivedMs(f),
    ...(f.expectSignature ? { expectSignature: f.expectSignature } : {}),
  });
  return { ...f, headers };
}

/** What the provider's library says about a fixture, at the fixture's receivedAt. */
type Verdict = "valid" | "bad-signature" | "stale-timestamp";

const TOLERANCE_S = 300;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const judges: Record<PackageName, (f: Fixture) => Promise<Verdict>> = {
  "stripe-payments": async (f) => {
    try {
      Stripe.webhooks.constructEvent(
        wire(f.body),
        f.headers["stripe-signature"] ?? "",
        SECRETS.STRIPE_WEBHOOK_SECRET as string,
        TOLERANCE_S,
        undefined,
        receivedMs(f),
      );
      return "valid";
    } catch (error) {
      return /tolerance/i.test((error as Error).message) ? "stale-timestamp" : "bad-signature";
    }
  },
  "github-pushes": async (f) =>
    (await verifyGithub(SECRETS.GITHUB_WEBHOOK_SECRET as string, wire(f.body), f.headers["x-hub-signature-256"] ?? ""))
      ? "valid"
      : "bad-signature",
  // https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify
  "shopify-orders": async (f) => {
    const expected = createHmac("sha256", SECRETS.SHOPIFY_WEBHOOK_SECRET as string)
      .update(wire(f.body), "utf8")
      .digest("base64");
    return safeEqual(expected, f.headers["x-shopify-hmac-sha256"] ?? "") ? "valid" : "bad-signature";
  },
  // https://api.slack.com/authentication/verifying-requests-from-slack
  "slack-events": async (f) => {
    const ts = f.headers["x-slack-request-timestamp"] ?? "";
    const expected = `v0=${createHmac("sha256", SECRETS.SLACK_SIGNING_SECRET as string)
      .update(`v0:${ts}:${wire(f.body)}`, "utf8")
      .digest("hex")}`;
    if (!safeEqual(expected, f.headers["x-slack-signature"] ?? "")) return "bad-signature";
    return Math.abs(receivedMs(f) / 1000 - Number(ts)) > TOLERANCE_S ? "stale-timestamp" : "valid";
  },
  "standard-webhooks-sender": async (f) => {
    // The library checks webhook-timestamp against Date.now(): the fixture's clock.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(receivedMs(f));
    try {
      new Webhook(SECRETS.SENDER_WEBHOOK_SECRET as string).verify(wire(f.body), f.headers);
      return "valid";
    } catch (error) {
      return /timestamp/i.test((error as Error).message) ? "stale-timestamp" : "bad-signature";
    }
  },
};

/**
 * The fixtures the provider's library must refuse, and why. Every other fixture must
 * verify. (standard-webhooks-sender/stale-event-timestamp is signed correctly and fresh:
 * only the package's own timestampField check refuses it, so the library accepts it.)
 */
const REFUSED_BY_PROVIDER: Record<PackageName, Record<string, Verdict>> = {
  "stripe-payments": { "tampered-amount": "bad-signature", "replayed-event": "stale-timestamp" },
  "github-pushes": { "forged-push": "bad-signature" },
  "shopify-orders": { "tampered-total": "bad-signature" },
  "slack-events": { "forged-message": "bad-signature", "stale-timestamp": "stale-timestamp" },
  "standard-webhooks-sender": { "signed-with-retired-secret": "bad-signature" },
};

afterEach(() => {
  vi.useRealTimers();
});

describe.each(PACKAGES)("%s: sandbox evaluation", (pkg) => {
  test("is sandbox-validated, and its generated files are byte for byte the committed ones", async () => {
    const loaded = await loadPackage(path.join(HERE, pkg));
    if (!loaded.ok) throw new Error(`${pkg} did not load: ${JSON.stringify(loaded.findings)}`);
    // The sandbox secrets only (never the environment), as the committed evidence was made.
    const evaluation = await evaluatePackage(loaded.files, { secrets: (ref) => SECRETS[ref] });
    expect(evaluation.errors).toEqual([]);
    expect(evaluation.warnings).toEqual([]);
    expect(evaluation.evidence.status).toBe("sandbox-validated");
    expect(evaluation.evidence.summary).toMatchObject({ failed: 0, scanErrors: 0, scanWarnings: 0 });
    expect(evaluation.evidence.summary.passed).toBe(fixturesOf(pkg).length);

    const generated = evaluationFiles(evaluation);
    const committed = new Map(
      [...loaded.files].filter(([p]) => p === "evidence.json" || p === "scans.json" || p.startsWith("traces/")),
    );
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [file, text] of generated) {
      expect(committed.get(file)?.toString("utf8"), `${pkg}/${file} is stale: run npx providerflow evidence`).toBe(text);
    }
  });

  test("every fixture has its golden and no golden is orphaned", async () => {
    const loaded = await loadPackage(path.join(HERE, pkg));
    if (!loaded.ok) throw new Error("did not load");
    const names = (kind: "fixture" | "golden") => filesOfKind(loaded.files, kind).map(([p]) => path.basename(p));
    expect(names("golden")).toEqual(names("fixture"));
  });
});

describe.each(PACKAGES)("%s: fixture signatures, judged by the provider's library", (pkg) => {
  const fixtures = fixturesOf(pkg);

  test("has at least one fixture the pipeline must refuse or ignore", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
    expect(fixtures.some(([, f]) => f.expectSignature === "invalid")).toBe(true);
  });

  test.each(fixtures)("%s", async (name, fixture) => {
    const expected = REFUSED_BY_PROVIDER[pkg][name] ?? "valid";
    expect(await judges[pkg](asSent(pkg, name, fixture))).toBe(expected);
  });
});

describe("under an organization's own secrets (the server's sandbox run)", () => {
  // Every secret replaced by another value of the same shape, as an org's real ones.
  const OWN: Record<string, string> = Object.fromEntries(
    Object.entries(SECRETS).map(([k, v]) => [k, v.startsWith("whsec_") ? `whsec_${Buffer.from(`org-own-${k}`).toString("base64")}` : `org-own-${k}`]),
  );
  const failing = async (pkg: string, pinnedRejections: "exact" | "by-stage") => {
    const loaded = await loadPackage(path.join(HERE, pkg));
    if (!loaded.ok) throw new Error("did not load");
    const evaluation = await evaluatePackage(loaded.files, { secrets: (ref) => OWN[ref], pinnedRejections });
    return evaluation.evidence.fixtures.filter((f) => !f.passed).map((f) => [f.name, f.diff]);
  };

  test.each(PACKAGES)("%s: every fixture passes by stage, except a pinned valid signature", async (pkg) => {
    const expected = pkg === "standard-webhooks-sender" ? ["contact-created-during-rotation"] : [];
    expect((await failing(pkg, "by-stage")).map(([name]) => name)).toEqual(expected);
  });

  test("compared exactly, a pinned replay reads Signature verification failed, not Event too old", async () => {
    expect(await failing("stripe-payments", "exact")).toEqual([
      ["replayed-event", [{ pointer: "/body/error", expected: "Event too old", actual: "Signature verification failed" }]],
    ]);
  });
});

describe("fixtures written unsigned", () => {
  const library: { package: PackageName; fixture: string; headers: Record<string, string> }[] = JSON.parse(
    execFileSync(process.execPath, [path.join(HERE, "generate-fixtures.mjs"), "--library-signatures"], { encoding: "utf8" }),
  );

  test("are every fixture but the rejection cases and the rotation fixture", () => {
    const unsigned = PACKAGES.flatMap((pkg) =>
      fixturesOf(pkg)
        .filter(([name, f]) => JSON.stringify(asSent(pkg, name, f).headers) !== JSON.stringify(f.headers))
        .map(([name]) => `${pkg}/${name}`),
    );
    expect(unsigned.sort()).toEqual(library.map((l) => `${l.package}/${l.fixture}`).sort());
    expect(unsigned.length).toBeGreaterThanOrEqual(20);
  });

  test.each(library.map((l) => [`${l.package}/${l.fixture}`, l] as const))(
    "%s: the sandbox signs it byte for byte as the provider's library does",
    (_label, l) => {
      const [, fixture] = fixturesOf(l.package).find(([n]) => n === l.fixture) ?? [];
      if (!fixture) throw new Error(`${l.package}/${l.fixture} missing`);
      const sent = asSent(l.package, l.fixture, fixture).headers;
      for (const [header, value] of Object.entries(l.headers)) expect(sent[header], header).toBe(value);
    },
  );
});

describe("standard-webhooks-sender rotation fixture", () => {
  test("carries two v1 signatures; only the one made with the current secret verifies", () => {
    const [, fixture] = fixturesOf("standard-webhooks-sender").find(([n]) => n === "contact-created-during-rotation") ?? [];
    if (!fixture) throw new Error("rotation fixture missing");
    const signatures = (fixture.headers["webhook-signature"] ?? "").split(" ");
    expect(signatures).toHaveLength(2);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(receivedMs(fixture));
    const verifies = (secret: string, signature: string) => {
      try {
        new Webhook(secret).verify(wire(fixture.body), { ...fixture.headers, "webhook-signature": signature });
        return true;
      } catch {
        return false;
      }
    };
    expect(signatures.map((s) => verifies(SECRETS.SENDER_WEBHOOK_SECRET as string, s))).toEqual([false, true]);
    expect(signatures.map((s) => verifies(SECRETS.SENDER_WEBHOOK_SECRET_RETIRED as string, s))).toEqual([true, false]);
  });
});

describe("fixtures and secrets", () => {
  test("the fixtures are exactly what generate-fixtures.mjs writes", () => {
    const out = execFileSync(process.execPath, [path.join(HERE, "generate-fixtures.mjs"), "--check"], { encoding: "utf8" });
    expect(out).toContain("fixtures are up to date");
  });

  test.each(PACKAGES)("%s holds no sandbox secret value in any file", (pkg) => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(path.join(HERE, pkg));
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const [name, value] of Object.entries(SECRETS)) {
        expect(text.includes(value), `${path.relative(HERE, file)} contains the value of ${name}`).toBe(false);
      }
    }
  });
});

describe("docs/cli-reference.md", () => {
  const reference = readFileSync(path.join(HERE, "..", "docs", "cli-reference.md"), "utf8");

  async function help(args: string[]): Promise<string> {
    let out = "";
    const exit = await runCli([...args, "--help"], {
      stdout: (s) => {
        out += s;
      },
      stderr: () => {},
      env: {},
      cwd: HERE,
      stderrIsTTY: false,
      fetch: globalThis.fetch,
    });
    expect(exit).toBe(0);
    return out;
  }

  test.each([[], ["init"], ["validate"], ["test"], ["trace"], ["scan"], ["evidence"], ["graph"], ["plan"], ["apply"], ["approve"]])(
    "quotes `providerflow %s --help` exactly",
    async (...args: string[]) => {
      const text = (await help(args)).trimEnd();
      expect(reference).toContain(`\`\`\`text\n${text}\n\`\`\``);
    },
  );
});
