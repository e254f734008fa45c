// ProviderFlow on the server, through the route handlers as the CLI and the console
// call them: the org secret store, package versions (upload → sandbox run → evidence),
// approval, plan and apply with managed objects, prod revalidation, and the tenant
// boundary. Every response is checked against the published OpenAPI document.
import path from "node:path";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import * as secretsRoute from "@/app/api/v1/secrets/route";
import * as secretRoute from "@/app/api/v1/secrets/[name]/route";
import * as versionsRoute from "@/app/api/v1/providerflow/versions/route";
import * as versionRoute from "@/app/api/v1/providerflow/versions/[id]/route";
import * as evidenceRoute from "@/app/api/v1/providerflow/versions/[id]/evidence/route";
import * as approveRoute from "@/app/api/v1/providerflow/versions/[id]/approve/route";
import * as versionApplyRoute from "@/app/api/v1/providerflow/versions/[id]/apply/route";
import * as planRoute from "@/app/api/v1/providerflow/plan/route";
import * as applyRoute from "@/app/api/v1/providerflow/apply/route";
import * as sourcesRoute from "@/app/api/v1/inbound-sources/route";
import * as targetsRoute from "@/app/api/v1/targets/route";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import * as routesRoute from "@/app/api/v1/routes/route";
import { openApiDocument } from "@/lib/api/openapi";
import { MAX_API_BODY_BYTES, ORG_HEADER } from "@/lib/api/with-api";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import { sha256Hex } from "@/lib/auth/secrets";
import { prisma } from "@/lib/db";
import { createApiToken } from "@/lib/store/api-tokens";
import { env } from "@/lib/env";
import { evaluatePackage } from "@/providerflow/evaluate";
import { renderGolden } from "@/providerflow/golden";
import { isGeneratedPath, loadPackage, type PackageFiles } from "@/providerflow/load-package";
import { loadTestPackage, withContractEdits, withFiles } from "@/providerflow/test-packages/packages";
import {
  call,
  createOrgWithToken,
  createSandboxOrgWithToken,
  createSessionCookie,
  encodePackageFiles,
  list,
  obj,
  tokenFor,
  type CallResult,
} from "./helpers/fixtures";
import { responseChecker } from "./helpers/openapi";
import { postInbound } from "./helpers/pipeline-fixtures";
import { openStored } from "./helpers/stored-secrets";

const check = responseChecker(openApiDocument());

// Values the org's secret store holds for valid-stripe's secretRefs. None may ever
// appear in a response.
const SECRETS = {
  STRIPE_WEBHOOK_SECRET: "whsec_stripe-value-that-must-never-leak-7Q2m",
  DW_TOKEN: "dw-token-that-must-never-leak-31f9a7c2",
  AUDIT_API_KEY: "audit-key-that-must-never-leak-8d02be",
} as const;
const SECRET_VALUES = Object.values(SECRETS);

/** Every response body this file sees, to prove no secret is in any of them. */
const seen: string[] = [];

/** The response, after checking it against the operation's documented schema. */
function documented(res: CallResult, path: string, method: string): CallResult {
  seen.push(res.text);
  if (res.status !== 204) check(path, method, res.status, res.json);
  return res;
}

const V = "/api/v1/providerflow/versions";
const at = (id: string) => ({ path: `${V}/${id}`, params: { id } });

const putSecret = async (name: string, value: string, token: string) =>
  documented(
    await call(secretRoute.PUT, "PUT", `/api/v1/secrets/${name}`, { token, params: { name }, body: { value } }),
    "/api/v1/secrets/{name}",
    "put",
  );
const listSecrets = async (token: string) =>
  documented(await call(secretsRoute.GET, "GET", "/api/v1/secrets", { token }), "/api/v1/secrets", "get");
const deleteSecret = async (name: string, token: string) =>
  documented(
    await call(secretRoute.DELETE, "DELETE", `/api/v1/secrets/${name}`, { token, params: { name } }),
    "/api/v1/secrets/{name}",
    "delete",
  );

const upload = async (files: Record<string, string>, token: string) =>
  documented(await call(versionsRoute.POST, "POST", V, { token, body: { files } }), V, "post");
const listVersions = async (token: string, query = "") =>
  documented(await call(versionsRoute.GET, "GET", `${V}${query}`, { token }), V, "get");
const getVersion = async (id: string, token: string) =>
  documented(await call(versionRoute.GET, "GET", at(id).path, { token, params: at(id).params }), `${V}/{id}`, "get");
const getEvidence = async (id: string, token: string) =>
  documented(
    await call(evidenceRoute.GET, "GET", `${at(id).path}/evidence`, { token, params: at(id).params }),
    `${V}/{id}/evidence`,
    "get",
  );
const approve = async (id: string, token: string, body: unknown = {}) =>
  documented(
    await call(approveRoute.POST, "POST", `${at(id).path}/approve`, { token, params: at(id).params, body }),
    `${V}/{id}/approve`,
    "post",
  );
const applyVersion = async (id: string, token: string) =>
  documented(
    await call(versionApplyRoute.POST, "POST", `${at(id).path}/apply`, { token, params: at(id).params }),
    `${V}/{id}/apply`,
    "post",
  );
const plan = async (files: Record<string, string>, token: string) =>
  documented(
    await call(planRoute.POST, "POST", "/api/v1/providerflow/plan", { token, body: { files } }),
    "/api/v1/providerflow/plan",
    "post",
  );
const applyFiles = async (files: Record<string, string>, token: string) =>
  documented(
    await call(applyRoute.POST, "POST", "/api/v1/providerflow/apply", { token, body: { files } }),
    "/api/v1/providerflow/apply",
    "post",
  );

const stripe = new Stripe("sk_test_dummy");

const lookup = (ref: string): string | undefined => (SECRETS as Record<string, string>)[ref];

/**
 * The package with goldens/<fixture>.json written from a sandbox run, as
 * `providerflow test --update` does: a package is sandbox-validated only when every
 * fixture matches its golden.
 */
async function withGoldens(files: PackageFiles): Promise<PackageFiles> {
  const run = await evaluatePackage(files, { secrets: lookup });
  const goldens: Record<string, string> = {};
  for (const [name, result] of Object.entries(run.results)) goldens[`goldens/${name}.json`] = renderGolden(result);
  return withFiles(files, goldens);
}

/**
 * valid-stripe's fixture signed with the org's Stripe secret, as a package author signs
 * fixtures: the sandbox sends a fixture's headers as they are, at its receivedAt.
 */
function signedFixtures(files: PackageFiles): PackageFiles {
  const path = "fixtures/payment-succeeded.json";
  const fixture = JSON.parse(files.get(path)?.toString("utf8") ?? "{}") as {
    body: unknown;
    headers: Record<string, string>;
    receivedAt: string;
  };
  const timestamp = Math.floor(Date.parse(fixture.receivedAt) / 1000);
  const header = stripe.webhooks.generateTestHeaderString({
    payload: JSON.stringify(fixture.body),
    secret: SECRETS.STRIPE_WEBHOOK_SECRET,
    timestamp,
  });
  return withFiles(files, {
    [path]: `${JSON.stringify({ ...fixture, headers: { ...fixture.headers, "stripe-signature": header } }, null, 2)}\n`,
  });
}

const encode = (files: PackageFiles) => encodePackageFiles(files);

// The example package, and a second version of it without the refunds flow (and the
// billing-audit target only that flow used).
let base: PackageFiles;
let withoutRefunds: PackageFiles;
let movedWarehouse: PackageFiles;

const REFUNDS_TARGET = `  - name: billing-audit
    url: https://audit.example.com/hooks/stripe
    auth: { type: header, headerName: X-Api-Key, secretRef: AUDIT_API_KEY }
    timeoutSeconds: 15
`;

beforeAll(async () => {
  const valid = signedFixtures(await loadTestPackage("valid-stripe"));
  base = await withGoldens(valid);
  const contract = valid.get("provider-flow.yaml")?.toString("utf8") ?? "";
  const refundsFlow = contract.slice(contract.indexOf("\n  - name: refunds"));
  withoutRefunds = await withGoldens(
    withContractEdits(valid, [
      [REFUNDS_TARGET, ""],
      [refundsFlow, "\n"],
    ]),
  );
  movedWarehouse = await withGoldens(
    withContractEdits(valid, [["https://api.data-warehouse.com/events", "https://warehouse.example.com/v2/events"]]),
  );
});

/** A production org with an operator, a reviewer and an admin, and the package's secrets set. */
async function productionOrg() {
  const { org, token: admin } = await createOrgWithToken("admin");
  const operator = await tokenFor(org.id, "operator");
  const reviewer = await tokenFor(org.id, "reviewer");
  for (const [name, value] of Object.entries(SECRETS)) expect((await putSecret(name, value, operator)).status).toBe(201);
  return { org, admin, operator, reviewer };
}

async function sandboxOrg() {
  const { org, token: admin } = await createSandboxOrgWithToken("admin");
  const operator = await tokenFor(org.id, "operator");
  for (const [name, value] of Object.entries(SECRETS)) await putSecret(name, value, operator);
  return { org, admin, operator };
}

const managed = (orgId: string) => ({
  sources: prisma().inboundSource.findMany({ where: { orgId }, orderBy: { mnemonic: "asc" } }),
  mappings: prisma().inboundMapping.findMany({ where: { orgId }, orderBy: { title: "asc" } }),
  targets: prisma().target.findMany({ where: { orgId }, orderBy: { name: "asc" } }),
  routes: prisma().route.findMany({ where: { orgId }, orderBy: { managedBy: "asc" } }),
});

async function snapshot(orgId: string) {
  const m = managed(orgId);
  const [sources, mappings, targets, routes] = await Promise.all([m.sources, m.mappings, m.targets, m.routes]);
  return { sources, mappings, targets, routes };
}

type Change = { action: string; kind: string; name: string; diff?: { path: string; from?: unknown; to?: unknown }[] };
const changesOf = (value: unknown, key = "changes"): Change[] => obj(value)[key] as Change[];
const summarize = (changes: Change[]) => changes.map((c) => `${c.action} ${c.kind} ${c.name}`);

// ---------------------------------------------------------------------------------

describe("the org secret store", () => {
  it("stores values write-only: names and hints out, never values; operator to write, reviewer to read", async () => {
    const { org, token: operator } = await createOrgWithToken("operator");
    const reviewer = await tokenFor(org.id, "reviewer");
    const created = await putSecret("DW_TOKEN", SECRETS.DW_TOKEN, operator);
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      name: "DW_TOKEN",
      hint: `…${SECRETS.DW_TOKEN.slice(-4)}`,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const replaced = await putSecret("DW_TOKEN", `${SECRETS.DW_TOKEN}-2`, operator);
    expect(replaced.status).toBe(200);
    expect(obj(replaced.json).hint).toBe("…c2-2");
    expect((await putSecret("SHORT", "abc", operator)).json).toMatchObject({ hint: "…" });

    const listed = await listSecrets(reviewer);
    expect(list(listed.json).map((s) => s.name)).toEqual(["DW_TOKEN", "SHORT"]);
    expect(listed.text).not.toContain(SECRETS.DW_TOKEN);

    expect((await putSecret("DW_TOKEN", "x", reviewer)).status).toBe(403);
    const badName = await putSecret("lower_case", "x", operator);
    expect(badName.status).toBe(400);
    expect(JSON.stringify(badName.json)).toContain("^[A-Z][A-Z0-9_]{0,127}$");
    expect((await putSecret("EMPTY", "", operator)).status).toBe(400);

    expect((await deleteSecret("SHORT", operator)).status).toBe(204);
    expect((await deleteSecret("SHORT", operator)).status).toBe(404);
    expect((await deleteSecret("bad name", operator)).status).toBe(404);
    // Another org neither sees nor deletes it.
    const other = await createOrgWithToken("admin");
    expect(list((await listSecrets(other.token)).json)).toEqual([]);
    expect((await deleteSecret("DW_TOKEN", other.token)).status).toBe(404);
  });
});

describe("uploading a package version", () => {
  it("validates and sandbox-runs it: sandbox-validated with its evidence, prod revalidation pending", async () => {
    const { org, operator, reviewer } = await productionOrg();
    const res = await upload(encode(base), operator);
    expect(res.status).toBe(201);
    const version = obj(res.json);
    expect(version).toMatchObject({
      package: "stripe-payments",
      version: "1.0.0",
      status: "sandbox-validated",
      prodRevalidation: "pending",
      approvals: [],
      appliedAt: null,
      revalidation: null,
      uploadedBy: expect.stringContaining("operator token"),
    });
    expect(version.digest).toMatch(/^[0-9a-f]{64}$/);
    const evidence = obj(version.evidence);
    expect(evidence.status).toBe("sandbox-validated");
    expect(obj(evidence.package)).toMatchObject({ name: "stripe-payments", digest: version.digest });
    expect(version.summary).toEqual(evidence.summary);
    expect(obj(version.summary)).toMatchObject({ fixtures: 1, passed: 1, failed: 0, scanErrors: 0 });

    // The evidence route serves the evidence JSON exactly; the version route the same.
    const id = String(version.id);
    expect((await getEvidence(id, reviewer)).json).toEqual(evidence);
    expect(obj((await getVersion(id, reviewer)).json)).toEqual(version);
    const stored = await prisma().flowPackageVersion.findUniqueOrThrow({ where: { id } });
    expect(stored.orgId).toBe(org.id);
    expect(Object.keys(obj(stored.files)).sort()).toEqual([...base.keys()].sort());
  });

  it("stores a package whose sandbox run fails as draft, and runs a draft again on identical re-upload", async () => {
    const { org, token: operator } = await createOrgWithToken("operator");
    // No secrets yet: the sandbox cannot check the fixture's signature (secret-missing).
    const first = await upload(encode(base), operator);
    expect(first.status).toBe(201);
    expect(obj(first.json)).toMatchObject({ status: "draft", prodRevalidation: "pending" });
    expect(obj(obj(first.json).evidence).status).toBe("draft");
    for (const [name, value] of Object.entries(SECRETS)) await putSecret(name, value, operator);
    const again = await upload(encode(base), operator);
    expect(again.status).toBe(200);
    expect(obj(again.json)).toMatchObject({ id: obj(first.json).id, status: "sandbox-validated" });
    expect(await prisma().flowPackageVersion.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("returns the existing version for identical content (same digest), and a new draft-or-validated version for any change", async () => {
    const { org, operator, reviewer } = await productionOrg();
    const first = await upload(encode(base), operator);
    const again = await upload(encode(base), operator);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(obj(again.json).id).toBe(obj(first.json).id);
    expect(obj(again.json).digest).toBe(obj(first.json).digest);

    const changed = await upload(encode(withoutRefunds), operator);
    expect(changed.status).toBe(201);
    expect(obj(changed.json).digest).not.toBe(obj(first.json).digest);
    expect(await prisma().flowPackageVersion.count({ where: { orgId: org.id } })).toBe(2);
    expect(await prisma().flowPackage.count({ where: { orgId: org.id } })).toBe(1);

    // Newest first, paged, filterable by package.
    const page1 = await listVersions(reviewer, "?limit=1");
    expect(list(page1.json).map((v) => v.id)).toEqual([obj(changed.json).id]);
    const cursor = String(obj(page1.json).nextCursor);
    const page2 = await listVersions(reviewer, `?limit=1&cursor=${cursor}`);
    expect(list(page2.json).map((v) => v.id)).toEqual([obj(first.json).id]);
    expect(obj(page2.json).nextCursor).toBeNull();
    expect(list(page2.json)[0]).not.toHaveProperty("evidence");
    expect(obj(list(page2.json)[0]?.summary)).toMatchObject({ fixtures: 1 });
    expect(list((await listVersions(reviewer, "?package=other")).json)).toEqual([]);
    expect((await listVersions(reviewer, "?cursor=nope")).status).toBe(400);
  });

  it("answers 400 with located details for a package that does not load or whose contract is invalid", async () => {
    const { org, operator } = await productionOrg();
    const broken = await loadTestPackage("broken-syntax").catch(() => null);
    const syntax = broken ?? new Map([["provider-flow.yaml", Buffer.from("name: [unclosed\n")]]);
    const res = await upload(encode(syntax), operator);
    expect(res.status).toBe(400);
    const details = obj(res.json).details as { path: string; message: string }[];
    expect(details.length).toBeGreaterThan(0);
    expect(details[0]?.path).toMatch(/^\/files\/provider-flow\.yaml/);
    expect(details[0]?.message).toMatch(/^provider-flow\.yaml:\d+:\d+: /);

    const dangling = await upload(encode(await loadTestPackage("dangling-reference")), operator);
    expect(dangling.status).toBe(400);
    const d = obj(dangling.json).details as { path: string; message: string }[];
    expect(d.some((x) => /^\/files\/provider-flow\.yaml\/flows\/\d+\/(endpoint|target)/.test(x.path))).toBe(true);
    expect(d.every((x) => /^provider-flow\.yaml:\d+:\d+: /.test(x.message))).toBe(true);

    const traversal = await upload({ ...encode(base), "../escape.json": Buffer.from("{}").toString("base64") }, operator);
    expect(traversal.status).toBe(400);
    expect(JSON.stringify(traversal.json)).toContain("leaves the package folder");

    const badBase64 = await upload({ ...encode(base), "README.md": "not base64!" }, operator);
    expect(badBase64.status).toBe(400);
    expect(obj(badBase64.json).details).toEqual([{ path: "/files/README.md", message: expect.stringContaining("base64") }]);
    expect((await upload({}, operator)).status).toBe(400);
    expect(await prisma().flowPackageVersion.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("takes a package body larger than the management API's 1 MiB cap, up to the package limits", async () => {
    const { operator } = await productionOrg();
    const big = withFiles(base, { "README.md": `# Stripe\n\n${"All work and no play. ".repeat(100_000)}` });
    const body = encode(big);
    expect(JSON.stringify({ files: body }).length).toBeGreaterThan(MAX_API_BODY_BYTES);
    const res = await upload(body, operator);
    expect(res.status).toBe(201);
    const refused = await upload(
      { ...encode(base), "README.md": Buffer.alloc(5 * 1024 * 1024 + 1, "x").toString("base64") },
      operator,
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain("file-too-large");
  });

  it("is for operators and admins; reviewers read", async () => {
    const { reviewer, operator } = await productionOrg();
    expect((await upload(encode(base), reviewer)).status).toBe(403);
    expect((await upload(encode(base), operator)).status).toBe(201);
    expect((await call(versionsRoute.GET, "GET", V)).status).toBe(401);
  });
});

describe("approval", () => {
  it("is refused to an operator (403) and recorded for a reviewer: who, role, digest, when; never twice", async () => {
    const { operator, reviewer, admin } = await productionOrg();
    const version = obj((await upload(encode(base), operator)).json);
    const id = String(version.id);

    const byOperator = await approve(id, operator);
    expect(byOperator.status).toBe(403);
    expect(obj((await getVersion(id, reviewer)).json).status).toBe("sandbox-validated");

    const byReviewer = await approve(id, reviewer, { note: "Checked the refund filter" });
    expect(byReviewer.status).toBe(200);
    const approved = obj(byReviewer.json);
    expect(approved.status).toBe("approved");
    expect(approved.prodRevalidation).toBe("pending");
    expect(approved.approvals).toEqual([
      {
        approvedBy: expect.stringContaining("reviewer token"),
        role: "reviewer",
        digest: version.digest,
        note: "Checked the refund filter",
        createdAt: expect.any(String),
      },
    ]);

    // A second approval is refused rather than recorded: one decision per digest.
    const twice = await approve(id, admin);
    expect(twice.status).toBe(409);
    expect(JSON.stringify(twice.json)).toContain("already approved");
    expect(obj((await getVersion(id, reviewer)).json).approvals).toHaveLength(1);
  });

  it("records a signed-in reviewer by email, and an admin may approve", async () => {
    const { org, operator } = await productionOrg();
    const id = String(obj((await upload(encode(base), operator)).json).id);
    const cookie = await createSessionCookie(org.id, "reviewer");
    const res = await call(approveRoute.POST, "POST", `${V}/${id}/approve`, {
      params: { id },
      body: {},
      headers: { cookie, origin: "http://localhost" },
    });
    expect(res.status).toBe(200);
    const [approval] = obj(res.json).approvals as { approvedBy: string; role: string }[];
    expect(approval?.approvedBy).toMatch(/@example\.com$/);

    const other = String(obj((await upload(encode(withoutRefunds), operator)).json).id);
    const admin = await tokenFor(org.id, "admin");
    expect((await approve(other, admin)).status).toBe(200);
  });

  it("separation of duties: in a production org nobody approves their own upload, through a session or a token they made", async () => {
    const { org, reviewer } = await productionOrg();
    const ada = await prisma().user.create({
      data: { orgId: org.id, email: `ada-${org.id}@example.com`, name: "Ada Admin", role: "admin", passwordHash: "unused" },
    });
    const sessionToken = `s-${org.id}-${Date.now()}`;
    await prisma().session.create({ data: { userId: ada.id, tokenHash: sha256Hex(sessionToken), expiresAt: new Date(Date.now() + 3_600_000) } });
    const asAda = { headers: { cookie: `${SESSION_COOKIE}=${sessionToken}`, origin: "http://localhost" } };
    const adaUpload = await call(versionsRoute.POST, "POST", V, { ...asAda, body: { files: encode(base) } });
    expect(adaUpload.status).toBe(201);
    const id = String(obj(adaUpload.json).id);
    expect(obj(adaUpload.json).uploadedBy).toBe(`Ada Admin <${ada.email}>`);

    // Ada herself, signed in: refused, with the reason and the way out.
    const own = await call(approveRoute.POST, "POST", `${V}/${id}/approve`, { ...asAda, params: { id }, body: {} });
    expect(own.status).toBe(409);
    expect(JSON.stringify(own.json)).toContain("Separation of duties");
    // Through a token Ada made: still Ada.
    const adasToken = (await createApiToken(org.id, { name: "ada-ci", role: "admin" }, ada.id)).token;
    expect((await approve(id, adasToken)).status).toBe(409);
    expect(obj((await getVersion(id, reviewer)).json).status).toBe("sandbox-validated");

    // Someone else approves, and is named.
    const byReviewer = await approve(id, reviewer);
    expect(byReviewer.status).toBe(200);
    expect((obj(byReviewer.json).approvals as { approvedBy: string }[])[0]?.approvedBy).toMatch(/^reviewer token \(token [0-9a-f-]{36}\)$/);

    // A token no person made is its own actor: it cannot approve its own upload either...
    const { admin } = await productionOrg();
    const tokenUpload = String(obj((await upload(encode(withoutRefunds), admin)).json).id);
    expect((await approve(tokenUpload, admin)).status).toBe(409);
    // ...until an admin relaxes the rule for a one-person team (GET/PATCH /api/v1/org).
    const adminOrg = await prisma().flowPackageVersion.findUniqueOrThrow({ where: { id: tokenUpload }, select: { orgId: true } });
    await prisma().org.update({ where: { id: adminOrg.orgId }, data: { separationOfDuties: false } });
    const relaxed = await approve(tokenUpload, admin);
    expect(relaxed.status).toBe(200);
    expect((obj(relaxed.json).approvals as { approvedBy: string }[])[0]?.approvedBy).toMatch(/^admin token/);
  });

  it("separation of duties does not apply in a sandbox org", async () => {
    const { admin } = await sandboxOrg();
    const id = String(obj((await upload(encode(base), admin)).json).id);
    expect((await approve(id, admin)).status).toBe(200);
  });

  it("is only for sandbox-validated versions: a draft is 409; approvals never carry over to a new digest", async () => {
    const { org, operator, reviewer } = await productionOrg();
    await prisma().orgSecret.deleteMany({ where: { orgId: org.id, name: "STRIPE_WEBHOOK_SECRET" } });
    const draft = obj((await upload(encode(base), operator)).json);
    expect(draft.status).toBe("draft");
    const res = await approve(String(draft.id), reviewer);
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.json)).toContain("draft");

    await putSecret("STRIPE_WEBHOOK_SECRET", SECRETS.STRIPE_WEBHOOK_SECRET, operator);
    const v1 = obj((await upload(encode(withoutRefunds), operator)).json);
    expect((await approve(String(v1.id), reviewer)).status).toBe(200);
    const v2 = obj((await upload(encode(movedWarehouse), operator)).json);
    expect(v2).toMatchObject({ status: "sandbox-validated", approvals: [] });
  });
});

describe("apply to a production org", () => {
  it("refuses an unapproved version (409), applies an approved one, revalidates it and serves real webhooks", async () => {
    const { org, operator, reviewer } = await productionOrg();
    const version = obj((await upload(encode(base), operator)).json);
    const id = String(version.id);

    const early = await applyVersion(id, operator);
    expect(early.status).toBe(409);
    expect(JSON.stringify(early.json)).toContain("applies only an approved version");
    expect((await snapshot(org.id)).sources).toEqual([]);

    expect((await approve(id, reviewer)).status).toBe(200);
    expect((await applyVersion(id, reviewer)).status).toBe(403);
    const res = await applyVersion(id, operator);
    expect(res.status).toBe(200);
    const body = obj(res.json);
    expect(summarize(changesOf(body, "applied"))).toEqual([
      "create source payment-webhook",
      "create mapping payment-events",
      "create mapping refunds",
      "create target data-warehouse",
      "create target billing-audit",
      "create route payment-events->data-warehouse",
      "create route refunds->data-warehouse",
      "create route refunds->billing-audit",
    ]);
    expect(body.inboundUrls).toEqual({
      "payment-webhook": `${env().publicUrl}/api/inbound/${org.slug}/by-mnemonic/payment-webhook`,
    });
    const applied = obj(body.version);
    expect(applied).toMatchObject({
      status: "prod-revalidated",
      prodRevalidation: "passed",
      appliedBy: expect.stringContaining("operator token"),
    });
    expect(applied.revalidation).toEqual({ fixtures: [{ name: "payment-succeeded", passed: true, diff: [] }], passed: true });

    const state = await snapshot(org.id);
    expect(state.sources.map((s) => [s.mnemonic, s.managedBy])).toEqual([["payment-webhook", "stripe-payments/payment-webhook"]]);
    expect(state.mappings.map((m) => [m.title, m.managedBy, m.priority])).toEqual([
      ["payment-events", "stripe-payments/payment-events", 1000],
      ["refunds", "stripe-payments/refunds", 999],
    ]);
    expect(state.targets.map((t) => [t.name, t.managedBy, t.authType])).toEqual([
      ["billing-audit", "stripe-payments/billing-audit", "header"],
      ["data-warehouse", "stripe-payments/data-warehouse", "bearer"],
    ]);
    expect(state.routes.map((r) => r.managedBy)).toEqual([
      "stripe-payments/payment-events->data-warehouse",
      "stripe-payments/refunds->billing-audit",
      "stripe-payments/refunds->data-warehouse",
    ]);
    // Secrets resolved from the org's store, stored sealed for their rows like the API's.
    const warehouse = state.targets.find((t) => t.name === "data-warehouse")!;
    expect(openStored("InboundSource.verificationSecret", state.sources[0]!, state.sources[0]!.verificationSecret)).toBe(SECRETS.STRIPE_WEBHOOK_SECRET);
    expect(openStored("Target.authSecret", warehouse, warehouse.authSecret)).toBe(SECRETS.DW_TOKEN);
    for (const t of state.targets) expect(openStored("Target.signingSecret", t, t.signingSecret)).toMatch(/^whsec_/);

    // A real Stripe-signed webhook through the live inbound route.
    const payload = JSON.stringify({
      id: "evt_live_1",
      type: "payment_intent.succeeded",
      data: { object: { id: "pi_live_1", amount: 4200, currency: "eur", metadata: { user_id: "user_7" } } },
    });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRETS.STRIPE_WEBHOOK_SECRET });
    const inbound = await postInbound(org.slug, { mnemonic: "payment-webhook" }, payload, { "stripe-signature": header });
    expect(inbound.status).toBe(200);
    const interaction = await prisma().interaction.findUniqueOrThrow({ where: { id: String(inbound.body.interactionId) } });
    expect(interaction).toMatchObject({
      orgId: org.id,
      resourceType: "payment",
      action: "payment_intent.succeeded",
      resourceId: "pi_live_1",
      idempotencyKey: "evt_live_1",
    });
    expect(interaction.object).toMatchObject({ amount: 4200, currency: "eur", _userId: "user_7" });
    const deliveries = await prisma().delivery.findMany({ where: { interactionId: interaction.id }, include: { target: true } });
    expect(deliveries.map((d) => d.target.name)).toEqual(["data-warehouse"]);
    const forged = await postInbound(org.slug, { mnemonic: "payment-webhook" }, payload, { "stripe-signature": "t=1,v1=00" });
    expect(forged.status).toBe(401);
  });

  it("re-applies without duplicating, deletes what a new version dropped, and plans first without changing anything", async () => {
    const { org, operator, reviewer } = await productionOrg();
    const v1 = String(obj((await upload(encode(base), operator)).json).id);
    await approve(v1, reviewer);
    expect((await applyVersion(v1, operator)).status).toBe(200);
    const afterV1 = await snapshot(org.id);

    // The same version again: everything unchanged, nothing duplicated.
    const again = await applyVersion(v1, operator);
    expect(again.status).toBe(200);
    expect(changesOf(again.json, "applied").every((c) => c.action === "unchanged")).toBe(true);
    const afterAgain = await snapshot(org.id);
    expect(afterAgain.sources.map((s) => s.id)).toEqual(afterV1.sources.map((s) => s.id));
    expect(afterAgain.mappings.map((m) => m.id)).toEqual(afterV1.mappings.map((m) => m.id));
    expect(afterAgain.targets.map((t) => t.updatedAt)).toEqual(afterV1.targets.map((t) => t.updatedAt));

    // Plan for v2 (refunds dropped, warehouse moved is another version): changes nothing.
    const edited = await withGoldens(
      withContractEdits(signedFixtures(await loadTestPackage("valid-stripe")), [
        [REFUNDS_TARGET, ""],
        ["https://api.data-warehouse.com/events", "https://warehouse.example.com/v2/events"],
      ]),
    );
    const contract = edited.get("provider-flow.yaml")?.toString("utf8") ?? "";
    const v2files = withContractEdits(edited, [[contract.slice(contract.indexOf("\n  - name: refunds")), "\n"]]);
    const v2Package = await withGoldens(v2files);
    const planned = await plan(encode(v2Package), operator);
    expect(planned.status).toBe(200);
    const changes = changesOf(planned.json);
    expect(summarize(changes)).toEqual([
      "unchanged source payment-webhook",
      "unchanged mapping payment-events",
      "delete mapping refunds",
      "update target data-warehouse",
      "delete target billing-audit",
      "unchanged route payment-events->data-warehouse",
      "delete route refunds->data-warehouse",
      "delete route refunds->billing-audit",
    ]);
    expect(changes.find((c) => c.action === "update")?.diff).toEqual([
      { path: "/url", from: "https://api.data-warehouse.com/events", to: "https://warehouse.example.com/v2/events" },
    ]);
    expect(await snapshot(org.id)).toEqual(afterAgain);

    // Applying files is only for an uploaded version of that digest with the right status.
    const notUploaded = await applyFiles(encode(v2Package), operator);
    expect(notUploaded.status).toBe(409);
    expect(JSON.stringify(notUploaded.json)).toContain("upload it first");
    const v2 = String(obj((await upload(encode(v2Package), operator)).json).id);
    expect((await applyFiles(encode(v2Package), operator)).status).toBe(409);
    await approve(v2, reviewer);
    const applied = await applyFiles(encode(v2Package), operator);
    expect(applied.status).toBe(200);
    expect(summarize(changesOf(applied.json, "applied"))).toEqual(summarize(changes));
    expect(obj(obj(applied.json).version)).toMatchObject({ id: v2, status: "prod-revalidated" });

    const after = await snapshot(org.id);
    expect(after.sources.map((s) => s.id)).toEqual(afterV1.sources.map((s) => s.id));
    expect(after.mappings.map((m) => m.title)).toEqual(["payment-events"]);
    expect(after.mappings[0]?.id).toBe(afterV1.mappings.find((m) => m.title === "payment-events")?.id);
    expect(after.targets.map((t) => [t.name, t.url])).toEqual([["data-warehouse", "https://warehouse.example.com/v2/events"]]);
    expect(after.routes.map((r) => r.managedBy)).toEqual(["stripe-payments/payment-events->data-warehouse"]);

    // A plan of what is applied shows nothing to do.
    expect(changesOf((await plan(encode(v2Package), operator)).json).every((c) => c.action === "unchanged")).toBe(true);
  });

  it("shows a secret's change in plan without its value, and names a missing secretRef (400)", async () => {
    const { org, operator, reviewer } = await productionOrg();
    const id = String(obj((await upload(encode(base), operator)).json).id);
    await approve(id, reviewer);
    await applyVersion(id, operator);
    await putSecret("DW_TOKEN", "dw-token-rotated-value-that-must-not-leak", operator);
    const planned = await plan(encode(base), operator);
    const update = changesOf(planned.json).find((c) => c.kind === "target" && c.name === "data-warehouse");
    expect(update).toEqual({
      action: "update",
      kind: "target",
      name: "data-warehouse",
      diff: [{ path: "/auth/secret", from: "[redacted]", to: "[redacted]" }],
    });
    expect(planned.text).not.toContain("rotated-value");

    await deleteSecret("AUDIT_API_KEY", operator);
    const missing = await applyVersion(id, operator);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.json)).toContain("secretRef AUDIT_API_KEY is not set");
    expect((await plan(encode(base), operator)).status).toBe(400);
    // Nothing was changed by the refused apply.
    const target = await prisma().target.findFirstOrThrow({ where: { orgId: org.id, name: "data-warehouse" } });
    expect(openStored("Target.authSecret", target, target.authSecret)).toBe(SECRETS.DW_TOKEN);
  });

  it("never touches an object it does not manage: a name clash is a 409 naming it", async () => {
    const { org, operator, reviewer } = await productionOrg();
    const source = await call(sourcesRoute.POST, "POST", "/api/v1/inbound-sources", {
      token: operator,
      body: { title: "Mine", mnemonic: "payment-webhook" },
    });
    expect(source.status).toBe(201);
    const target = await call(targetsRoute.POST, "POST", "/api/v1/targets", {
      token: operator,
      body: { name: "billing-audit", url: "https://mine.example.com/x" },
    });
    expect(target.status).toBe(201);
    const id = String(obj((await upload(encode(base), operator)).json).id);
    await approve(id, reviewer);

    const planned = await plan(encode(base), operator);
    expect(planned.status).toBe(409);
    const res = await applyVersion(id, operator);
    expect(res.status).toBe(409);
    const messages = (obj(res.json).details as { message: string }[]).map((d) => d.message).join("\n");
    expect(messages).toContain('inbound source "payment-webhook"');
    expect(messages).toContain('target "billing-audit"');
    expect(messages).toContain("not managed by any package");
    const state = await snapshot(org.id);
    expect(state.sources.map((s) => [s.title, s.managedBy])).toEqual([["Mine", null]]);
    expect(state.targets.map((t) => [t.url, t.managedBy])).toEqual([["https://mine.example.com/x", null]]);
    expect(state.mappings).toEqual([]);
  });
});

describe("the shipped example package, under an org's own secrets", () => {
  it("uploads sandbox-validated, is approved, applies prod-revalidated, and passes a real Stripe-signed webhook", async () => {
    const { org, operator, reviewer } = await productionOrg();
    // Not the sandbox test values the example's rejection fixtures were pinned with.
    const own = { STRIPE_WEBHOOK_SECRET: "whsec_org-own-stripe-secret-5b1d", DW_TOKEN: "org-own-dw-token-77a0" };
    for (const [name, value] of Object.entries(own)) await putSecret(name, value, operator);
    const loaded = await loadPackage(path.join(process.cwd(), "providerflow", "packages", "stripe-payments"));
    if (!loaded.ok) throw new Error("the example package did not load");
    const files = encode(new Map([...loaded.files].filter(([p]) => !isGeneratedPath(p))));

    const uploaded = obj((await upload(files, operator)).json);
    expect(uploaded.status).toBe("sandbox-validated");
    const id = String(uploaded.id);
    expect(obj((await approve(id, reviewer)).json).status).toBe("approved");
    const applied = await applyVersion(id, operator);
    expect(applied.status).toBe(200);
    const version = obj(obj(applied.json).version);
    expect(version.status).toBe("prod-revalidated");
    expect(obj(version.revalidation).passed).toBe(true);

    const payload = JSON.stringify({
      id: "evt_own_1",
      object: "event",
      type: "payment_intent.succeeded",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: "pi_own_1",
          object: "payment_intent",
          amount: 1999,
          amount_received: 1999,
          currency: "eur",
          customer: "cus_own",
          status: "succeeded",
          metadata: { order_id: "77", user_id: "user_9" },
        },
      },
    });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: own.STRIPE_WEBHOOK_SECRET });
    const inbound = await postInbound(org.slug, { mnemonic: "stripe-webhook" }, payload, { "stripe-signature": header });
    expect([inbound.status, inbound.body.error]).toEqual([200, undefined]);
    const interaction = await prisma().interaction.findUniqueOrThrow({ where: { id: String(inbound.body.interactionId) } });
    expect(interaction).toMatchObject({ resourceType: "payment", action: "succeeded", resourceId: "pi_own_1", idempotencyKey: "evt_own_1" });
    const testHeader = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRETS.STRIPE_WEBHOOK_SECRET });
    expect((await postInbound(org.slug, { mnemonic: "stripe-webhook" }, payload, { "stripe-signature": testHeader })).status).toBe(401);
  });
});

describe("prod revalidation", () => {
  it("re-runs the fixtures against what is applied: a hand-made mapping that steals the event fails it, and the status falls back to approved", async () => {
    const { org, operator, reviewer } = await productionOrg();
    const id = String(obj((await upload(encode(base), operator)).json).id);
    await approve(id, reviewer);
    expect(obj(obj((await applyVersion(id, operator)).json).version).status).toBe("prod-revalidated");

    const source = await prisma().inboundSource.findFirstOrThrow({ where: { orgId: org.id, mnemonic: "payment-webhook" } });
    const thief = await call(mappingsRoute.POST, "POST", "/api/v1/inbound-mappings", {
      token: operator,
      body: {
        sourceId: source.id,
        title: "by hand",
        priority: 5000,
        resourceType: "other",
        action: "stolen",
        resourceIdPath: "id",
      },
    });
    expect(thief.status).toBe(201);

    const res = await applyVersion(id, operator);
    expect(res.status).toBe(200);
    // The package's own objects are unchanged; the hand-made mapping is left alone.
    expect(changesOf(res.json, "applied").every((c) => c.action === "unchanged")).toBe(true);
    expect(await prisma().inboundMapping.count({ where: { orgId: org.id, managedBy: null } })).toBe(1);
    const version = obj(obj(res.json).version);
    expect(version).toMatchObject({ status: "approved", prodRevalidation: "failed" });
    const [fixture] = obj(version.revalidation).fixtures as {
      name: string;
      passed: boolean;
      diff: { pointer: string; expected?: unknown; actual?: unknown }[];
    }[];
    expect(fixture?.passed).toBe(false);
    expect(fixture?.diff).toContainEqual({ pointer: "/interaction/resourceType", expected: "payment", actual: "other" });

    // Removing it and applying again revalidates the version.
    await prisma().inboundMapping.deleteMany({ where: { id: String(obj(thief.json).id) } });
    expect(obj(obj((await applyVersion(id, operator)).json).version)).toMatchObject({
      status: "prod-revalidated",
      prodRevalidation: "passed",
    });
  });

  it("re-checks each fixture's own signature with the secret now on the source", async () => {
    const { operator, reviewer } = await productionOrg();
    const id = String(obj((await upload(encode(base), operator)).json).id);
    await approve(id, reviewer);
    await applyVersion(id, operator);
    // A rotated provider secret: the fixture, signed with the old one, no longer verifies.
    await putSecret("STRIPE_WEBHOOK_SECRET", "whsec_rotated-stripe-value-that-must-never-leak", operator);
    const res = await applyVersion(id, operator);
    expect(res.status).toBe(200);
    expect(changesOf(res.json, "applied")[0]).toEqual({
      action: "update",
      kind: "source",
      name: "payment-webhook",
      diff: [{ path: "/verification/secret", from: "[redacted]", to: "[redacted]" }],
    });
    const version = obj(obj(res.json).version);
    expect(version.prodRevalidation).toBe("failed");
    expect(obj(version.revalidation).fixtures).toEqual([
      {
        name: "payment-succeeded",
        passed: false,
        diff: expect.arrayContaining([{ pointer: "/status", expected: 200, actual: 401 }]),
      },
    ]);
    expect(res.text).not.toContain("rotated-stripe-value");
  });

  it("refuses a deletion that would cascade into an object the package does not manage", async () => {
    const { org, operator, reviewer } = await productionOrg();
    const v1 = String(obj((await upload(encode(base), operator)).json).id);
    await approve(v1, reviewer);
    await applyVersion(v1, operator);
    const refunds = await prisma().inboundMapping.findFirstOrThrow({ where: { orgId: org.id, title: "refunds" } });
    const mine = await call(targetsRoute.POST, "POST", "/api/v1/targets", {
      token: operator,
      body: { name: "mine", url: "https://mine.example.com/x" },
    });
    const route = await call(routesRoute.POST, "POST", "/api/v1/routes", {
      token: operator,
      body: { mappingId: refunds.id, targetId: String(obj(mine.json).id) },
    });
    expect(route.status).toBe(201);

    const planned = await plan(encode(withoutRefunds), operator);
    expect(planned.status).toBe(409);
    expect(JSON.stringify(planned.json)).toContain(`route ${String(obj(route.json).id)} from it is not managed by any package`);
    expect(await prisma().inboundMapping.count({ where: { id: refunds.id } })).toBe(1);
  });
});

describe("apply to a sandbox org", () => {
  it("takes a sandbox-validated version without approval (by id and by files); the status stays, revalidation is recorded", async () => {
    const { org, operator } = await sandboxOrg();
    const version = obj((await upload(encode(base), operator)).json);
    const res = await applyFiles(encode(base), operator);
    expect(res.status).toBe(200);
    expect(summarize(changesOf(res.json, "applied")).filter((c) => c.startsWith("create"))).toHaveLength(8);
    const applied = obj(obj(res.json).version);
    expect(applied).toMatchObject({ id: version.id, status: "sandbox-validated", prodRevalidation: "pending" });
    expect(obj(applied.revalidation).passed).toBe(true);
    expect((await snapshot(org.id)).mappings).toHaveLength(2);
    expect((await applyVersion(String(version.id), operator)).status).toBe(200);
    expect((await snapshot(org.id)).mappings).toHaveLength(2);
  });

  it("refuses a draft", async () => {
    const { org, operator } = await sandboxOrg();
    await prisma().orgSecret.deleteMany({ where: { orgId: org.id, name: "STRIPE_WEBHOOK_SECRET" } });
    const draft = obj((await upload(encode(base), operator)).json);
    expect(draft.status).toBe("draft");
    const res = await applyVersion(String(draft.id), operator);
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.json)).toContain("draft");
  });
});

describe("the tenant boundary", () => {
  it("answers 404 for another org's version, its evidence, approval and apply, and lists none of it", async () => {
    const a = await productionOrg();
    const b = await productionOrg();
    const id = String(obj((await upload(encode(base), a.operator)).json).id);
    expect((await getVersion(id, b.reviewer)).status).toBe(404);
    expect((await getEvidence(id, b.reviewer)).status).toBe(404);
    expect((await approve(id, b.reviewer)).status).toBe(404);
    expect((await applyVersion(id, b.operator)).status).toBe(404);
    expect(list((await listVersions(b.reviewer)).json)).toEqual([]);
    expect((await getVersion("not-a-uuid", a.reviewer)).status).toBe(404);
    // The same content uploaded by b is b's own version, with its own id.
    const own = obj((await upload(encode(base), b.operator)).json);
    expect(own.id).not.toBe(id);
    expect(obj((await getVersion(id, a.reviewer)).json).approvals).toEqual([]);
    // And b's apply leaves a's org alone.
    await approve(String(own.id), b.reviewer);
    expect((await applyVersion(String(own.id), b.operator)).status).toBe(200);
    expect((await snapshot(a.org.id)).sources).toEqual([]);
  });
});

describe("the org a client names (x-provenance-org, the CLI's --org)", () => {
  it("is refused with 403 when the token belongs to another org; the token's own org passes", async () => {
    const a = await productionOrg();
    const b = await productionOrg();
    const other = await call(planRoute.POST, "POST", "/api/v1/providerflow/plan", {
      token: a.operator,
      headers: { [ORG_HEADER]: b.org.slug },
      body: { files: encode(base) },
    });
    expect(documented(other, "/api/v1/providerflow/plan", "post").status).toBe(403);
    expect(other.json).toEqual({ error: "Forbidden" });
    const refusedApply = await call(applyRoute.POST, "POST", "/api/v1/providerflow/apply", {
      token: a.operator,
      headers: { [ORG_HEADER]: b.org.slug },
      body: { files: encode(base) },
    });
    expect(refusedApply.status).toBe(403);
    expect((await snapshot(a.org.id)).sources).toEqual([]);
    expect((await snapshot(b.org.id)).sources).toEqual([]);
    const own = await call(planRoute.POST, "POST", "/api/v1/providerflow/plan", {
      token: a.operator,
      headers: { [ORG_HEADER]: a.org.slug },
      body: { files: encode(base) },
    });
    expect(documented(own, "/api/v1/providerflow/plan", "post").status).toBe(200);
  });
});

describe("the OpenAPI document for secrets and ProviderFlow", () => {
  it("publishes a secret's value only as a write-only request field", () => {
    const schemas = obj(obj(openApiDocument().components).schemas);
    expect(obj(obj(obj(schemas.OrgSecretPut).properties).value).writeOnly).toBe(true);
    expect(Object.keys(obj(obj(schemas.OrgSecret).properties)).sort()).toEqual(["createdAt", "hint", "name", "updatedAt"]);
    const approveOp = obj(obj(obj(openApiDocument().paths)["/api/v1/providerflow/versions/{id}/approve"]).post);
    expect(approveOp.description).toContain("An operator is refused");
  });
});

describe("secrets in responses", () => {
  it("none of the org's secret values appears in any response of this file", () => {
    expect(seen.length).toBeGreaterThan(50);
    for (const text of seen) for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });
});
