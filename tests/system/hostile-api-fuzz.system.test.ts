// A fuzz of every route under app/api against the built app (issue 11, proof: "random
// JSON bodies and query strings, no 5xx"). The routes are found by walking
// app/api/**/route.ts and reading each file's exported methods, so a new route is fuzzed
// without touching this file. Each is called with path parameters that are real ids,
// unknown ids, malformed ids and hostile strings; random query strings; random JSON
// bodies (and near-valid ones with one field replaced) full of hostile values (U+0000,
// lone surrogates, huge numbers, deep nesting, __proto__, very long strings) and some
// raw non-JSON bodies; as an admin token, a reviewer token, no token and odd credentials.
//
// Every answer must be below 500: a client's mistake is a 4xx. A 5xx fails the test with
// the route, method and input that caused it, and the seed (FUZZ_SEED=<n> replays the
// same inputs; FUZZ_CASES=<n> sets the cases per route and method). Meanwhile a
// bystander's health checks must be answered within BYSTANDER_LIMIT_MS, peak RSS stays
// under a bound, and no secret the setup created shows up in a response or the app's
// output.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BYSTANDER_LIMIT_MS, findSecrets, underAbuse } from "./abuse";
import { ROOT, createMapping, createRoute, createSource, runBounded, send, startSystem, stripeSignature, waitUntil, type System } from "./harness";

const SEED = Number(process.env.FUZZ_SEED ?? 20261211);
const CASES = Number(process.env.FUZZ_CASES ?? 45);
const CONCURRENCY = 4;
/** Launcher and server together peaked at 345–366 MB in this fuzz (bodies under 1 MiB, 4 in flight). */
const RSS_LIMIT_MB = 640;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Route = { file: string; template: string; params: string[]; method: Method };

/** Every exported method of every app/api/**\/route.ts, as `/api/v1/targets/[id]`. */
function discoverRoutes(): Route[] {
  const apiDir = path.join(ROOT, "app", "api");
  const routes: Route[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const text = readFileSync(full, "utf8");
        const template = `/${path.relative(path.join(ROOT, "app"), dir).split(path.sep).join("/")}`;
        const params = [...template.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
        const methods = new Set([...text.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1] as Method));
        for (const method of methods) routes.push({ file: path.relative(ROOT, full), template, params, method });
      }
    }
  };
  walk(apiDir);
  return routes.sort((a, b) => a.template.localeCompare(b.template) || a.method.localeCompare(b.method));
}

type Page = { file: string; template: string; params: string[] };

/** Every page.tsx under app/, route groups dropped: `/sources/[id]/edit`. */
function discoverPages(): Page[] {
  const pages: Page[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "api") walk(full);
      } else if (entry.name === "page.tsx") {
        const segments = path.relative(path.join(ROOT, "app"), dir).split(path.sep).filter((s) => s !== "" && !/^\(.*\)$/.test(s));
        const template = `/${segments.join("/")}`;
        pages.push({ file: path.relative(ROOT, full), template, params: [...template.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!) });
      }
    }
  };
  walk(path.join(ROOT, "app"));
  return pages.sort((a, b) => a.template.localeCompare(b.template));
}

// --- hostile values -----------------------------------------------------------------------

const LONG = "x".repeat(70_000);
const HOSTILE_STRINGS = [
  "\u0000", "a\u0000b", "\ud800", "x\udfff", "\udbff\udbff", "\ud83d\ude00", "__proto__", "constructor", "prototype", "", " ",
  LONG, "%00", "../../etc/passwd", "${7*7}", "' OR '1'='1", "<script>alert(1)</script>", "\u202e\u200b", "whsec_", "1e999",
  "-0", "NaN", "null", "true", "00000000-0000-0000-0000-000000000000", "\\u0000", "$headers.authorization", "a.b[0].c",
  "^(a+)+$", "sha1", "hmac", "stripe", "dead", "failed", "admin", "reviewer", "https://127.0.0.1:1/x", "http://[::1]/",
];
const HOSTILE_NUMBERS = [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.5, 2 ** 31, 2 ** 53, -1, 0, 1, 9_999_999_999];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 12 }));
const hostileKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "a\u0000", "\ud800", "", "title", "preset", "secret", "type"), fc.string({ maxLength: 8 }));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    tie("array"),
    tie("object"),
  ),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 }),
})).value;

const nested = (depth: number, open: string, close: string, inner = "1") => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
/** Bodies no JSON.stringify makes. */
const RAW_BODIES: (string | Buffer)[] = [
  "", "{", "null", "[]", '"x"', "1e999999", '{"a":1e999999}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"polluted":1}}}',
  '{"title":"a","title":"b"}', nested(200_000, "[", "]"), nested(60_000, '{"a":', "}"), '{"title":"\\u0000"}', '{"name":"\\ud800"}',
  "\ufeff{}", Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), Buffer.from([0xff, 0xfe, 0x00]),
  `{"files":{"provider-flow.yaml":"${"A".repeat(400_000)}"}}`, '{"files":{"provider-flow.yaml":"not base64!"}}',
];

/** Near-valid bodies per route (template → body), so the fuzz gets past the first type check. */
function templates(ids: Ids): Record<string, Record<string, unknown>[]> {
  const source = { title: "Fuzz", mnemonic: "fuzz-x", description: "d", active: true, verification: { preset: "hmac", header: "X-Sig", prefix: "sha256=", algorithm: "sha256", encoding: "hex", secret: "fuzz-secret-value", timestampField: "ts", replayTolerance: 60 }, payloadSchema: { type: "object" } };
  const mapping = { sourceId: ids.sourceId, title: "m", resourceType: "order", action: "created", actionPath: "type", priority: 1, conditions: [{ path: "type", op: "matches", value: "^a$" }], payloadSchema: { type: "object" }, schemaRootPath: "data", idempotencyPath: "id", resourceIdPath: "id", fieldMappings: { a: "b" }, metadataPaths: { userId: "u" }, active: true };
  const target = { name: "t", url: "https://example.com/hook", active: true, auth: { type: "header", headerName: "X-Key", secret: "k" }, signing: { type: "standard-webhooks", enabled: true }, retry: { maxAttempts: 3, backoff: "fixed", initialDelaySeconds: 1 }, timeoutSeconds: 5 };
  return {
    "/api/v1/inbound-sources": [source],
    "/api/v1/inbound-sources/[id]": [source, { verification: null }, { verification: { preset: "stripe" } }],
    "/api/v1/inbound-mappings": [mapping],
    "/api/v1/inbound-mappings/[id]": [mapping],
    "/api/v1/inbound-mappings/[id]/test": [{ payload: { id: "1", type: "a", data: {} }, headers: { "x-a": "b" }, query: { a: "b" } }],
    "/api/v1/targets": [target],
    "/api/v1/targets/[id]": [target, { auth: { type: "basic", secret: "u:p" } }],
    "/api/v1/routes": [{ mappingId: ids.mappingId, targetId: ids.targetId, active: false }],
    "/api/v1/routes/[id]": [{ active: true }],
    "/api/v1/api-tokens": [{ name: "n", role: "reviewer" }],
    "/api/v1/secrets/[name]": [{ value: "fuzz-secret-value" }],
    "/api/v1/deliveries/retry": [{ status: "dead", targetId: ids.targetId }],
    "/api/v1/providerflow/versions/[id]/approve": [{ note: "n" }],
    "/api/v1/providerflow/versions": [{ files: { "provider-flow.yaml": Buffer.from("apiVersion: providerflow/v1\nname: x\n").toString("base64") } }],
    "/api/v1/providerflow/plan": [{ files: { "provider-flow.yaml": Buffer.from("name: [").toString("base64") } }],
    "/api/v1/providerflow/apply": [{ files: { "fixtures/x.json": "e30=" } }],
    "/api/auth/login": [{ email: "admin@example.com", password: "wrong" }],
  };
}

/** Every [path, container] leaf of a template, to replace one with a hostile value. */
function leafPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [at, ...entries.flatMap(([k, v]) => leafPaths(v, [...at, k]))];
}

function replaceAt(value: unknown, at: (string | number)[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[at[0]!] = replaceAt(copy[at[0]!], at.slice(1), replacement);
  return copy;
}

// --- one case --------------------------------------------------------------------------

type Ids = { sourceId: string; mappingId: string; targetId: string; routeId: string; eventId: string; interactionId: string; deliveryId: string; versionId: string; spareTokenId: string };
type Auth = "admin" | "reviewer" | "none" | "odd";
/** Credentials a client could send by mistake or on purpose: header values are bytes, so Latin-1 stands for any byte. */
const ODD_AUTH: Record<string, string>[] = [
  { authorization: `Bearer prv_${"\u00ff\u00e9\u0080".repeat(8)}` },
  { authorization: "Bearer" },
  { authorization: "Basic Zm9vOmJhcg==" },
  { authorization: `Bearer ${"a".repeat(600)}` },
  { authorization: "bearer  prv_x y" },
  { cookie: `provenance_session=%00${"%ff".repeat(20)}` },
  { cookie: "provenance_session=%E0%A4%A; provenance_session=x" },
  { cookie: `provenance_session=${"\u00ff".repeat(40)}` },
];
type Case = { route: Route; auth: Auth; url: string; body?: string | Buffer; headers: Record<string, string> };

/** Bytes as percent-encoding: a lone surrogate becomes U+FFFD, as any HTTP client sends it. */
const encodeSegment = (s: string) => [...Buffer.from(s, "utf8")].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
/** Already percent-encoded segments a client could send: NUL, CESU-8 surrogates, broken escapes, an encoded slash. */
/** Well-formed cursors (base64url of "<ISO time>|<uuid>") naming times PostgreSQL cannot hold. */
const FORGED_CURSORS = ["-271821-04-20T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "2026-01-01T00:00:00.000Z"].map((iso) =>
  Buffer.from(`${iso}|00000000-0000-4000-8000-000000000000`).toString("base64url"),
);
const RAW_SEGMENTS = ["%00", "a%00b", "%ED%A0%80", "%ED%B0%80x", "%E0%A4%A", "%", "%%", "%2F", "..", "%2E%2E", "%C0%AF", "%F0%9F%98%80", "%FF%FE"];

function realParam(template: string, name: string, ids: Ids, sys: System): string {
  if (name === "slug") return sys.orgSlug;
  if (name === "mnemonic") return "fuzz-source";
  if (name === "sourceId") return ids.sourceId;
  if (name === "name") return "FUZZ_SECRET";
  const byFolder: Record<string, string> = {
    "inbound-sources": ids.sourceId,
    "inbound-mappings": ids.mappingId,
    targets: ids.targetId,
    routes: ids.routeId,
    events: ids.eventId,
    interactions: ids.interactionId,
    deliveries: ids.deliveryId,
    versions: ids.versionId,
    "api-tokens": ids.spareTokenId,
  };
  const folder = template.split("/").at(template.split("/").indexOf(`[${name}]`) - 1) ?? "";
  return byFolder[folder] ?? ids.sourceId;
}

const PAGE_FOLDERS: Record<string, keyof Ids> = { sources: "sourceId", mappings: "mappingId", events: "eventId", interactions: "interactionId", packages: "versionId" };

function pageCaseArbitrary(page: Page, ids: Ids): fc.Arbitrary<string> {
  const param = (name: string) => {
    const parts = page.template.split("/");
    const real = ids[PAGE_FOLDERS[parts[parts.indexOf(`[${name}]`) - 1] ?? ""] ?? "sourceId"];
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(real) },
      { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
      { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
      { weight: 2, arbitrary: hostileString.filter((s) => s !== "").map(encodeSegment) },
    );
  };
  const value = fc.oneof(hostileString.map(encodeSegment), fc.constantFrom(...RAW_SEGMENTS, ...FORGED_CURSORS), fc.uuid({ version: 4 }));
  const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES, "next", "targetId").map(encodeSegment), value), { maxLength: 4 });
  return fc.record({ params: fc.tuple(...page.params.map(param)), query }).map((r) => {
    let i = 0;
    const pathPart = page.template.replace(/\[[^\]]+\]/g, () => (r.params[i++] as string) ?? "");
    const qs = r.query.map(([k, v]) => `${k}=${v}`).join("&");
    return qs ? `${pathPart}?${qs}` : pathPart;
  });
}

const QUERY_NAMES = ["sourceId", "mappingId", "targetId", "interactionId", "resourceType", "action", "status", "cursor", "limit", "package", "sync", "__proto__", "a\u0000"];

function caseArbitrary(route: Route, ids: Ids, sys: System): fc.Arbitrary<Case> {
  const param = (name: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(encodeSegment(realParam(route.template, name, ids, sys))) },
      { weight: 2, arbitrary: fc.uuid({ version: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom("not-a-uuid", "00000000-0000-0000-0000-000000000000", "x".repeat(3000)) },
      { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
      { weight: 2, arbitrary: hostileString.filter((s) => s !== "").map(encodeSegment) },
    );
  const queryValue = fc.oneof(hostileString.map(encodeSegment), fc.constantFrom(...RAW_SEGMENTS, ...FORGED_CURSORS), fc.uuid({ version: 4 }), fc.constantFrom("1", "200", "201", "0", "-1", "1.5", "dead", "eyJhdCI6IngifQ", "true"));
  const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES).map(encodeSegment), fc.constantFrom(...RAW_SEGMENTS)), queryValue), { maxLength: 4 });
  const list = templates(ids)[route.template] ?? [];
  const jsonBody = fc.oneof(
    { weight: 3, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
    ...(list.length > 0
      ? [
          {
            weight: 5,
            arbitrary: fc
              .tuple(fc.constantFrom(...list), fc.nat(), hostileValue, fc.boolean())
              .map(([t, n, v, keep]) => {
                if (keep && n % 4 === 0) return JSON.stringify(t);
                const paths = leafPaths(t);
                return JSON.stringify(replaceAt(t, paths[n % paths.length]!, v)) ?? "null";
              }),
          },
        ]
      : []),
  );
  const withBody = route.method !== "GET";
  return fc
    .record({
      auth: fc.constantFrom<Auth>("admin", "admin", "reviewer", "none", "odd"),
      odd: fc.constantFrom(...ODD_AUTH),
      params: fc.tuple(...route.params.map(param)),
      query,
      body: withBody ? fc.option(jsonBody, { freq: 8 }) : fc.constant(null),
      contentType: fc.constantFrom("application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", ""),
      // Mostly absent: a wrong org is a 403 before anything else is looked at.
      org: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(sys.orgSlug, "other-org", "\u00ff\u00e9") }),
      requestId: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom("req-1", "x".repeat(500), "\u00ff") }),
    })
    .map((r) => {
      let i = 0;
      const pathPart = route.template.replace(/\[[^\]]+\]/g, () => (r.params[i++] as string) ?? "");
      const qs = r.query.map(([k, v]) => `${k}=${v}`).join("&");
      const headers: Record<string, string> = {};
      if (r.contentType) headers["content-type"] = r.contentType;
      if (r.org !== null) headers["x-provenance-org"] = r.org;
      if (r.requestId !== null) headers["x-request-id"] = r.requestId;
      if (r.auth === "odd") Object.assign(headers, r.odd);
      return { route, auth: r.auth, url: qs ? `${pathPart}?${qs}` : pathPart, body: r.body ?? undefined, headers };
    });
}

// --- the run -------------------------------------------------------------------------------

const ADMIN = { email: "fuzz-admin@example.com", password: "fuzz-admin-password-6b0e2d" };
const SOURCE_SECRET = "fuzz-source-hmac-secret-7c1d";
const ORG_SECRET = "fuzz-org-secret-value-90ab3e";
const AUTH_SECRET = "fuzz-target-bearer-secret-44f1";

let sys: System;
let ids: Ids;
let tokens: Record<"admin" | "reviewer", string>;
let sessionCookie: string;
const knownSecrets: string[] = [SOURCE_SECRET, ORG_SECRET, AUTH_SECRET, ADMIN.password];

beforeAll(async () => {
  sys = await startSystem("fuzz", { PROVENANCE_ADMIN_EMAIL: ADMIN.email, PROVENANCE_ADMIN_PASSWORD: ADMIN.password });
  const login = await fetch(`${sys.app.baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: sys.app.baseUrl },
    body: JSON.stringify(ADMIN),
  });
  expect(login.status).toBe(200);
  sessionCookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const token = (role: string) => sys.api<{ id: string; token: string }>("POST", "/api/v1/api-tokens", { name: `fuzz ${role}`, role });
  const admin = await token("admin");
  const reviewer = await token("reviewer");
  const spare = await token("reviewer");
  tokens = { admin: admin.token, reviewer: reviewer.token };
  knownSecrets.push(admin.token, reviewer.token, spare.token);

  const sourceId = await createSource(sys, "fuzz-source");
  await sys.api("PATCH", `/api/v1/inbound-sources/${sourceId}`, { verification: { preset: "hmac", secret: SOURCE_SECRET } });
  const stripeSourceId = await createSource(sys, "fuzz-stripe", { preset: "stripe", secret: "whsec_fuzz_stripe_secret_1" });
  knownSecrets.push("whsec_fuzz_stripe_secret_1");
  const mappingId = await createMapping(sys, stripeSourceId, { idempotencyPath: "id" });
  const target = await sys.api<{ id: string; signingSecret: string }>("POST", "/api/v1/targets", {
    name: "fuzz-target",
    url: "http://127.0.0.1:9/never",
    auth: { type: "bearer", secret: AUTH_SECRET },
    retry: { maxAttempts: 1, backoff: "fixed", initialDelaySeconds: 1 },
  });
  knownSecrets.push(target.signingSecret);
  const routeId = await createRoute(sys, mappingId, target.id);
  await sys.api("PUT", "/api/v1/secrets/FUZZ_SECRET", { value: ORG_SECRET });

  // One real event, interaction and delivery.
  const body = JSON.stringify({ id: "evt_fuzz_1", type: "order.created" });
  const accepted = await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/by-mnemonic/fuzz-stripe?sync=true`, body, {
    headers: { "stripe-signature": stripeSignature(body, "whsec_fuzz_stripe_secret_1") },
  });
  expect(accepted.status, accepted.text).toBe(200);
  const interactionId = String(accepted.body?.interactionId);
  let deliveryId = "";
  await waitUntil("the delivery row", 15_000, async () => {
    const page = await sys.api<{ data: { id: string }[] }>("GET", `/api/v1/deliveries?interactionId=${interactionId}`);
    deliveryId = page.data[0]?.id ?? "";
    return [deliveryId !== "", `${page.data.length} deliveries`];
  });
  const versionId = await uploadVersion();
  ids = { sourceId, mappingId, targetId: target.id, routeId, eventId: String(accepted.body?.eventId), interactionId, deliveryId, versionId, spareTokenId: spare.id };
});

/** valid-stripe uploaded as a version (its secrets set first), for the versions/[id] routes. */
async function uploadVersion(): Promise<string> {
  const dir = path.join(ROOT, "providerflow", "test-packages", "valid-stripe");
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files[path.relative(dir, full).split(path.sep).join("/")] = readFileSync(full).toString("base64");
    }
  };
  walk(dir);
  for (const name of ["STRIPE_WEBHOOK_SECRET", "DW_TOKEN", "AUDIT_API_KEY"]) await sys.api("PUT", `/api/v1/secrets/${name}`, { value: `fuzz-${name.toLowerCase()}-value` });
  const version = await sys.api<{ id: string }>("POST", "/api/v1/providerflow/versions", { files });
  return version.id;
}

afterAll(async () => {
  await sys?.close();
});

type Answered = { c: Case; status: number; text: string; ms: number };

async function sendCase(c: Case): Promise<Answered> {
  const headers: Record<string, string> = { ...c.headers };
  if (c.auth === "admin" || c.auth === "reviewer") headers.authorization = `Bearer ${tokens[c.auth]}`;
  const started = performance.now();
  try {
    const res = await fetch(`${sys.app.baseUrl}${c.url}`, {
      method: c.route.method,
      headers,
      body: c.body === undefined ? undefined : typeof c.body === "string" ? c.body : new Uint8Array(c.body),
      redirect: "manual",
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    return { c, status: res.status, text, ms: performance.now() - started };
  } catch (error) {
    // A transport error (connection reset, timeout) is a failure as much as a 500.
    return { c, status: 599, text: `transport error: ${error instanceof Error ? error.message : String(error)}`, ms: performance.now() - started };
  }
}

const shortHeaders = (h: Record<string, string>) => JSON.stringify(Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.length > 40 ? `${v.slice(0, 40)}…` : v])));
const describeCase = (a: Answered) =>
  `${a.c.route.method} ${a.c.url.slice(0, 300)} (${a.c.route.file}; auth ${a.c.auth}; headers ${shortHeaders(a.c.headers)})\n` +
  `  body: ${a.c.body === undefined ? "(none)" : JSON.stringify(String(a.c.body).slice(0, 300))}\n  → ${a.status} ${a.text.slice(0, 300)}`;

describe("what the fuzz found, one by one", () => {
  it("a path whose percent-encoding is not UTF-8 is a 400, for API routes and pages alike (the App Router answered 500)", async () => {
    for (const url of ["/api/v1/deliveries/%FF%FE", "/api/v1/inbound-sources/%ED%A0%80", "/api/v1/events/%E0%A4%A/replay", "/api/v1/secrets/%", "/api/inbound/x/by-mnemonic/%C0%AF"]) {
      const res = await fetch(`${sys.app.baseUrl}${url}`, { method: url.endsWith("replay") || url.startsWith("/api/inbound") ? "POST" : "GET", headers: { authorization: `Bearer ${tokens.admin}` }, body: url.startsWith("/api/inbound") ? "{}" : undefined });
      expect(res.status, url).toBe(400);
      expect(await res.json()).toEqual({ error: "Malformed URL: a path segment is not valid percent-encoding" });
    }
    const page = await fetch(`${sys.app.baseUrl}/sources/%FF`);
    expect(page.status).toBe(400);
    // Valid escapes still reach the routes: an encoded "%" is an unknown id.
    expect((await fetch(`${sys.app.baseUrl}/api/v1/deliveries/%25`, { headers: { authorization: `Bearer ${tokens.admin}` } })).status).toBe(404);
  });

  it("an org slug with U+0000 in an inbound URL is 404 Source not found (it reached the database: 500)", async () => {
    const res = await send(sys.app.baseUrl, "/api/inbound/%00/by-mnemonic/fuzz-source", "{}");
    expect(res).toMatchObject({ status: 404, body: { error: "Source not found" } });
  });
});

describe("what the fuzz found, continued", () => {
  it("a well-formed cursor naming a time PostgreSQL cannot hold is a 400 (it was a 500), in the API and the console", async () => {
    const auth = { authorization: `Bearer ${tokens.admin}` };
    for (const cursor of FORGED_CURSORS.slice(0, 3)) {
      for (const list of ["interactions", "events", "deliveries", "routes", "targets", "providerflow/versions"]) {
        const res = await fetch(`${sys.app.baseUrl}/api/v1/${list}?cursor=${cursor}`, { headers: auth });
        expect(res.status, `${list} ${cursor}`).toBe(400);
        expect(await res.json()).toEqual({ error: "Validation failed", details: [{ path: "/query/cursor", message: "Invalid cursor" }] });
      }
      const page = await fetch(`${sys.app.baseUrl}/events?cursor=${cursor}`, { headers: { cookie: sessionCookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Invalid cursor");
    }
  });

  it("a console list filter with U+0000 is a message on the page (it was a 500)", async () => {
    for (const url of ["/interactions?resourceType=%C3%A9%00", "/events?status=%00", "/deliveries?status=a%00"]) {
      const page = await fetch(`${sys.app.baseUrl}${url}`, { headers: { cookie: sessionCookie } });
      expect(page.status, url).toBe(200);
      expect(await page.text(), url).toContain("must not contain U+0000 (NUL)");
    }
  });
});

describe(`fuzz of every management route (seed ${SEED}, ${CASES} cases per route and method)`, () => {
  it("renders every console page below 500 for hostile ids and query strings, signed in", async () => {
    const pages = discoverPages();
    expect(pages.map((p) => p.template)).toEqual(expect.arrayContaining(["/interactions", "/sources/[id]/edit", "/login"]));
    const urls = pages.flatMap((page, i) => fc.sample(pageCaseArbitrary(page, ids), { seed: SEED + 1000 + i, numRuns: Math.ceil(CASES / 3) }));
    const { result: answers, bystander } = await underAbuse(sys, () =>
      runBounded(urls.length, CONCURRENCY, async (i) => {
        const res = await fetch(`${sys.app.baseUrl}${urls[i]}`, { headers: { cookie: sessionCookie }, redirect: "manual", signal: AbortSignal.timeout(20_000) }).catch(
          (error: unknown) => ({ status: 599, text: async () => String(error) }),
        );
        return { url: urls[i]!, status: res.status, text: await res.text() };
      }),
    );
    console.log(`[fuzz] ${answers.length} console page requests; bystander max ${Math.round(bystander.maxMs)} ms`);
    expect(answers.filter((a) => a.status >= 500).map((a) => `GET ${a.url} → ${a.status}`), `5xx pages (replay with FUZZ_SEED=${SEED})`).toEqual([]);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(answers.length / 4);
    expect(bystander.maxMs).toBeLessThan(BYSTANDER_LIMIT_MS);
    expect(findSecrets(answers.map((a) => a.text).join("\n"), knownSecrets)).toEqual([]);
  });

  it("answers every random request below 500, keeps bystanders answered and leaks no secret", async () => {
    const routes = discoverRoutes();
    // The walk must really find the API: every folder with a route.ts, each method once.
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.map((r) => `${r.method} ${r.template}`)).toEqual(expect.arrayContaining(["GET /api/v1/interactions", "PATCH /api/v1/inbound-sources/[id]", "DELETE /api/v1/secrets/[name]", "POST /api/inbound/[slug]/[sourceId]"]));
    // Deletes last, so the other methods meet the real objects.
    const ordered = [...routes.filter((r) => r.method !== "DELETE"), ...routes.filter((r) => r.method === "DELETE")];
    const cases = ordered.flatMap((route, i) => fc.sample(caseArbitrary(route, ids, sys), { seed: SEED + i, numRuns: CASES }));
    console.log(`[fuzz] seed ${SEED}: ${cases.length} requests over ${routes.length} route methods (replay with FUZZ_SEED=${SEED})`);

    const started = performance.now();
    const { result: answers, bystander, peakRssMb } = await underAbuse(sys, () => runBounded(cases.length, CONCURRENCY, (i) => sendCase(cases[i]!)));
    const seconds = (performance.now() - started) / 1000;
    const slowest = answers.reduce((a, b) => (b.ms > a.ms ? b : a));
    const byStatus = answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
    console.log(
      `[fuzz] ${answers.length} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(byStatus)}; slowest ${Math.round(slowest.ms)} ms ` +
        `(${slowest.c.route.method} ${slowest.c.route.template}); bystander max ${Math.round(bystander.maxMs)} ms over ${bystander.count}; peak RSS ${Math.round(peakRssMb)} MB`,
    );

    // The fuzz must get past authentication often enough to exercise the routes themselves.
    const pastAuth = answers.filter((a) => a.status !== 401 && a.status !== 403).length;
    expect(pastAuth / answers.length).toBeGreaterThan(0.4);
    const failures = answers.filter((a) => a.status >= 500);
    expect(failures.map(describeCase), `5xx answers (replay with FUZZ_SEED=${SEED})`).toEqual([]);
    expect(bystander.failures).toEqual([]);
    expect(bystander.maxMs).toBeLessThan(BYSTANDER_LIMIT_MS);
    expect(peakRssMb).toBeLessThan(RSS_LIMIT_MB);
    expect(findSecrets(answers.map((a) => a.text).join("\n"), knownSecrets)).toEqual([]);
    expect(findSecrets(sys.app.output(), knownSecrets)).toEqual([]);
    expect(sys.app.output()).not.toMatch(/uncaught|unhandled/i);
  });
});
