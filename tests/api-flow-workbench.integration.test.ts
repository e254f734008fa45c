// The package editor's API: a template per preset, validate with located findings, the
// sandbox run of a draft (a failing golden, then the goldens it would write), a stored
// version's files read back. Nothing here stores a version. Answers are checked against
// the published OpenAPI document.
import { beforeAll, describe, expect, it } from "vitest";
import * as templatesRoute from "@/app/api/v1/providerflow/templates/route";
import * as testRoute from "@/app/api/v1/providerflow/test/route";
import * as validateRoute from "@/app/api/v1/providerflow/validate/route";
import * as filesRoute from "@/app/api/v1/providerflow/versions/[id]/files/route";
import * as versionsRoute from "@/app/api/v1/providerflow/versions/route";
import * as secretRoute from "@/app/api/v1/secrets/[name]/route";
import { openApiDocument } from "@/lib/api/openapi";
import { prisma } from "@/lib/db";
import { call, createOrgWithToken, obj, tokenFor, type CallResult } from "./helpers/fixtures";
import { responseChecker } from "./helpers/openapi";

const check = responseChecker(openApiDocument());
const P = "/api/v1/providerflow";

function documented(res: CallResult, path: string, method: string): CallResult {
  check(path, method, res.status, res.json);
  return res;
}

let org: { id: string };
let operator: string;
let reviewer: string;
let files: Record<string, string>;

const text = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

const validate = async (f: Record<string, string>, token = reviewer) =>
  documented(await call(validateRoute.POST, "POST", `${P}/validate`, { token, body: { files: f } }), `${P}/validate`, "post");
const test = async (f: Record<string, string>, update = false, token = operator) =>
  documented(await call(testRoute.POST, "POST", `${P}/test`, { token, body: { files: f, update } }), `${P}/test`, "post");

beforeAll(async () => {
  const a = await createOrgWithToken("admin");
  org = a.org;
  operator = await tokenFor(org.id, "operator");
  reviewer = await tokenFor(org.id, "reviewer");
  const put = await call(secretRoute.PUT, "PUT", "/api/v1/secrets/STRIPE_WEBHOOK_SECRET", {
    token: operator,
    params: { name: "STRIPE_WEBHOOK_SECRET" },
    body: { value: "whsec_workbench_test_secret_0001" },
  });
  expect(put.status).toBe(201);
  const res = documented(
    await call(templatesRoute.POST, "POST", `${P}/templates`, { token: reviewer, body: { name: "shop-payments", preset: "stripe" } }),
    `${P}/templates`,
    "post",
  );
  expect(res.status).toBe(200);
  files = obj(res.json).files as Record<string, string>;
});

describe("templates", () => {
  it("gives a stripe package that verifies with the stripe preset, with fixtures and goldens", () => {
    expect(Object.keys(files).sort()).toEqual([
      "README.md",
      "fixtures/handled.json",
      "fixtures/ignored.json",
      "goldens/handled.json",
      "goldens/ignored.json",
      "provider-flow.yaml",
    ]);
    expect(text(files["provider-flow.yaml"]!)).toContain("verification: { preset: stripe, secretRef: STRIPE_WEBHOOK_SECRET }");
    expect(text(files["provider-flow.yaml"]!)).toContain("name: shop-payments");
  });

  it("refuses an unknown preset and a bad name at their fields", async () => {
    const res = await call(templatesRoute.POST, "POST", `${P}/templates`, { token: reviewer, body: { name: "Bad Name", preset: "paypal" } });
    expect(res.status).toBe(400);
    expect(obj(res.json).details).toEqual([
      { path: "/name", message: "must be lowercase letters, digits and dashes (up to 63)" },
      { path: "/preset", message: "must be one of: stripe, github, shopify, slack, standard-webhooks, generic" },
    ]);
  });
});

describe("validate", () => {
  it("a valid draft: ok, its digest and graph", async () => {
    const res = await validate(files);
    expect(res.status).toBe(200);
    const body = obj(res.json);
    expect(body).toMatchObject({ ok: true, errors: [], digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const graph = obj(body.graph);
    expect((graph.nodes as { id: string }[]).map((n) => n.id)).toEqual([
      "endpoint:webhook",
      "flow:events:step:0",
      "flow:events:step:1",
      "target:destination",
    ]);
  });

  it("a broken draft: each error at its file, line and column; no graph", async () => {
    const yaml = text(files["provider-flow.yaml"]!).replace("    target: destination\n", "    target: destination\n    retries: 3\n");
    const line = yaml.split("\n").findIndex((l) => l.includes("retries: 3")) + 1;
    const res = await validate({ ...files, "provider-flow.yaml": b64(yaml) });
    const body = obj(res.json);
    expect(body.ok).toBe(false);
    expect(body.graph).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({ code: "unknown-key", file: "provider-flow.yaml", line, column: 5 })]);
    // A YAML syntax error is located too.
    const syntax = obj((await validate({ ...files, "provider-flow.yaml": b64("name: [unclosed\n") })).json);
    expect(syntax.errors).toEqual([expect.objectContaining({ code: "yaml-syntax", file: "provider-flow.yaml", line: expect.any(Number) })]);
  });

  it("bad base64 is a 400 naming the file; no API token is a 401", async () => {
    const res = await call(validateRoute.POST, "POST", `${P}/validate`, { token: reviewer, body: { files: { "provider-flow.yaml": "not base64!" } } });
    expect(res.status).toBe(400);
    expect(obj(res.json).details).toEqual([{ path: "/files/provider-flow.yaml", message: "is not valid base64 (RFC 4648, with padding)" }]);
    expect((await call(validateRoute.POST, "POST", `${P}/validate`, { body: { files } })).status).toBe(401);
  });
});

describe("test (the sandbox run of a draft)", () => {
  it("passes as written; a change to the map fails its golden with a diff; update gives goldens that pass", async () => {
    const clean = obj((await test(files)).json);
    expect(clean).toMatchObject({ ok: true, status: "sandbox-validated", goldens: null, errors: [] });
    expect((clean.fixtures as { name: string; passed: boolean }[]).map((f) => [f.name, f.passed])).toEqual([
      ["handled", true],
      ["ignored", true],
    ]);
    // The secret never appears, even in traces.
    expect(JSON.stringify(clean)).not.toContain("whsec_workbench_test_secret_0001");

    const changed = {
      ...files,
      "provider-flow.yaml": b64(text(files["provider-flow.yaml"]!).replace("customer: data.object.customer", "customer: data.object.customer, kind: data.object.object")),
    };
    const failing = obj((await test(changed)).json);
    expect(failing).toMatchObject({ ok: false, status: "draft" });
    const handled = (failing.fixtures as { name: string; passed: boolean; diff: { pointer: string }[] }[]).find((f) => f.name === "handled")!;
    expect(handled.passed).toBe(false);
    expect(handled.diff.map((d) => d.pointer)).toContain("/interaction/object/kind");

    const updated = obj((await test(changed, true)).json);
    const goldens = updated.goldens as Record<string, string>;
    expect(Object.keys(goldens).sort()).toEqual(["goldens/handled.json", "goldens/ignored.json"]);
    expect(goldens["goldens/handled.json"]).toContain('"kind": "payment_intent"');
    const withGoldens = { ...changed, ...Object.fromEntries(Object.entries(goldens).map(([k, v]) => [k, b64(v)])) };
    expect(obj((await test(withGoldens)).json)).toMatchObject({ ok: true, status: "sandbox-validated" });
    // Nothing was stored.
    expect(await prisma().flowPackageVersion.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("without the org's secret the handled fixture fails, and says which secret", async () => {
    const { token } = await createOrgWithToken("operator");
    const run = obj((await test(files, false, token)).json);
    expect(run.ok).toBe(false);
    expect(JSON.stringify(run.errors)).toContain("STRIPE_WEBHOOK_SECRET");
  });

  it("is for operators: a reviewer is refused", async () => {
    expect((await call(testRoute.POST, "POST", `${P}/test`, { token: reviewer, body: { files } })).status).toBe(403);
  });
});

describe("a version's files", () => {
  it("reads back exactly the uploaded files; another org's version is a 404", async () => {
    const up = await call(versionsRoute.POST, "POST", `${P}/versions`, { token: operator, body: { files } });
    expect(up.status).toBe(201);
    const id = String(obj(up.json).id);
    const res = documented(
      await call(filesRoute.GET, "GET", `${P}/versions/${id}/files`, { token: reviewer, params: { id } }),
      `${P}/versions/{id}/files`,
      "get",
    );
    expect(obj(res.json).files).toEqual(files);
    const other = await createOrgWithToken("admin");
    expect((await call(filesRoute.GET, "GET", `${P}/versions/${id}/files`, { token: other.token, params: { id } })).status).toBe(404);
  });
});
