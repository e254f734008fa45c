// Security headers and the Content-Security-Policy of every console page (issue 11,
// item 5), checked in Chromium: each page carries the headers, a fresh nonce on every
// script Next.js renders, runs its scripts (hydrates), and reports no CSP violation,
// React Flow's package graph included. A control test shows the violation listener does
// see a blocked script, so "no violation" means something.
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Page, Response } from "@playwright/test";
import { encodeFiles } from "../../providerflow/cli/api-client";
import { loadPackage } from "../../providerflow/load-package";
import { E2E_ORG, api, expect, test } from "../fixtures";

type Violation = { directive: string; blocked: string; sample: string };
type Probe = Window & { __cspViolations?: Violation[]; __pwned?: number; next?: { version?: string } };

const tag = randomBytes(3).toString("hex");
let pages: string[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  const source = await api(request, "post", "/api/v1/inbound-sources", { title: `Headers ${tag}`, mnemonic: `hdr_${tag}` });
  const mapping = await api(request, "post", "/api/v1/inbound-mappings", {
    sourceId: source.id,
    resourceType: "order",
    action: "created",
    resourceIdPath: "id",
  });
  const sent = await request.post(`/api/inbound/${E2E_ORG}/by-mnemonic/hdr_${tag}?sync=true`, { data: { id: `ord_${tag}` } });
  expect(sent.status(), await sent.text()).toBe(200);
  const { interactionId } = (await sent.json()) as { interactionId: string };
  const interaction = await api<{ eventId: string }>(request, "get", `/api/v1/interactions/${interactionId}`);

  // A ProviderFlow version, for the one page that draws a React Flow graph.
  const secrets = (await import("../../providerflow/packages/sandbox-secrets.json", { with: { type: "json" } })).default as Record<string, string>;
  for (const name of ["GITHUB_WEBHOOK_SECRET", "DASHBOARD_TOKEN", "AUDIT_SIGNING_SECRET"]) {
    await api(request, "put", `/api/v1/secrets/${name}`, { value: secrets[name] });
  }
  const loaded = await loadPackage(path.resolve(import.meta.dirname, "../../providerflow/packages/github-pushes"));
  if (!loaded.ok) throw new Error("github-pushes did not load");
  const version = await api(request, "post", "/api/v1/providerflow/versions", { files: encodeFiles(loaded.files) });

  pages = [
    "/",
    "/sources",
    "/sources/new",
    `/sources/${source.id}`,
    `/sources/${source.id}/edit`,
    `/sources/${source.id}/mappings/new`,
    `/mappings/${mapping.id}`,
    `/mappings/${mapping.id}/edit`,
    "/events",
    `/events/${interaction.eventId}`,
    "/interactions",
    `/interactions/${interactionId}`,
    "/deliveries",
    "/targets",
    "/tokens",
    "/api-docs",
    "/packages",
    `/packages/${version.id}`,
  ];
});

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<Violation[]>> {
  const fromConsole: Violation[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) fromConsole.push({ directive: "console", blocked: "", sample: msg.text() });
  });
  await page.addInitScript(() => {
    const w = window as Probe;
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__cspViolations!.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  return async () => [...((await page.evaluate(() => (window as Probe).__cspViolations)) ?? []), ...fromConsole];
}

function expectSecurityHeaders(res: Response | null): string {
  expect(res, "navigation response").not.toBeNull();
  const h = res!.headers();
  const csp = h["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'(;|$)/);
  expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)/);
  // 'unsafe-inline' only for style attributes; never anything unsafe for scripts.
  const loose = csp.split("; ").filter((d) => d.includes("'unsafe-"));
  expect(loose).toEqual(["style-src-attr 'unsafe-inline'"]);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("same-origin");
  expect(h["x-frame-options"]).toBe("DENY");
  // The e2e app is served over http: no HSTS there (the proxy test covers https).
  expect(h["strict-transport-security"]).toBeUndefined();
  return /'nonce-([^']+)'/.exec(csp)![1]!;
}

async function expectHydratedWithNonces(page: Page, nonce: string) {
  // window.next is set by the Next.js client runtime: it exists only if the scripts ran.
  await expect.poll(() => page.evaluate(() => Boolean((window as Probe).next?.version))).toBe(true);
  const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ inline: !s.src, nonce: s.nonce })));
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts.filter((x) => x.inline)) expect(s.nonce).toBe(nonce);
}

test("every console page has the security headers, runs its scripts under the nonce, and reports no CSP violation", async ({ page }) => {
  test.setTimeout(120_000);
  const violations = await watchViolations(page);
  const nonces = new Set<string>();
  for (const path of pages) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    const nonce = expectSecurityHeaders(res);
    nonces.add(nonce);
    await expect(page.getByRole("heading", { level: 1 }).first(), path).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectHydratedWithNonces(page, nonce);
    expect(await violations(), path).toEqual([]);
  }
  // A fresh nonce for every page view.
  expect(nonces.size).toBe(pages.length);
});

test("the package graph (React Flow) draws its nodes and edges without a CSP violation", async ({ page }) => {
  const violations = await watchViolations(page);
  const graph = pages.find((p) => p.startsWith("/packages/"))!;
  await page.goto(graph);
  const flow = page.locator(".react-flow");
  await expect(flow.first()).toBeVisible();
  await expect(flow.first().locator(".react-flow__node").first()).toBeVisible();
  await expect(flow.first().locator(".react-flow__edge").first()).toBeAttached();
  // Its positioning comes from style attributes, which the policy allows.
  expect(await flow.first().locator(".react-flow__node").first().getAttribute("style")).toMatch(/transform/);
  expect(await violations()).toEqual([]);
});

test("control: an injected inline handler is blocked and reported (the listener above is live)", async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto("/");
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => {
    const div = document.createElement("div");
    div.innerHTML = '<img src="/no-such-image.png" onerror="window.__pwned = 1">';
    document.body.append(div);
  });
  await expect.poll(async () => (await violations()).length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as Probe).__pwned)).toBeUndefined();
  expect((await violations()).some((v) => v.directive.startsWith("script-src"))).toBe(true);
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page and the 404 page carry the headers and run without a CSP violation", async ({ page }) => {
    const violations = await watchViolations(page);
    const login = await page.goto("/login");
    const nonce = expectSecurityHeaders(login);
    await expect(page.getByRole("heading", { name: "Sign in to Provenance" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectHydratedWithNonces(page, nonce);

    const missing = await page.goto(`/no-such-page-${tag}`);
    expect(missing?.status()).toBe(404);
    const nonce404 = expectSecurityHeaders(missing);
    await page.waitForLoadState("networkidle");
    await expectHydratedWithNonces(page, nonce404);
    expect(await violations()).toEqual([]);
  });

  test("API answers carry nosniff, a deny-all CSP and no-store; the sign-in answer too", async ({ request }) => {
    const me = await request.get("/api/auth/me");
    expect(me.status()).toBe(401);
    expect(me.headers()).toMatchObject({
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "cache-control": "no-store",
    });
    const inbound = await request.post(`/api/inbound/${E2E_ORG}/by-mnemonic/no-such-source-${tag}`, { data: {} });
    expect(inbound.status()).toBe(404);
    expect(inbound.headers()["x-content-type-options"]).toBe("nosniff");
  });
});
