// What every e2e spec imports instead of @playwright/test: the server global setup
// started (baseURL) and the accounts it configured.
import AxeBuilder from "@axe-core/playwright";
import { createHmac } from "node:crypto";
import path from "node:path";
import { test as base, expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";

export { ADMIN_STORAGE_STATE, E2E_ORG } from "./constants";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`npx playwright test\` so e2e/global-setup.ts starts the app`);
  return value;
}

export const e2e = {
  get baseUrl() {
    return required("E2E_BASE_URL");
  },
  get admin() {
    return { email: required("E2E_ADMIN_EMAIL"), password: required("E2E_ADMIN_PASSWORD") };
  },
  get bootstrapToken() {
    return required("E2E_BOOTSTRAP_TOKEN");
  },
};

export const test = base.extend({
  // The port is chosen at run time, so baseURL cannot live in playwright.config.ts.
  // (`provide`, not `use`: the React hooks lint rule would take it for React's `use`.)
  baseURL: async ({}, provide) => {
    await provide(e2e.baseUrl);
  },
});

export { expect };

/** Saves a full-page screenshot under test-results/screenshots/ and attaches it to the report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const file = path.join(testInfo.project.outputDir, "screenshots", `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
  return file;
}

/** axe finds no WCAG 2 A or AA violation on the page as it is now. */
export async function axeClean(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** Calls the management API with the bootstrap (admin) token; fails the test unless 2xx. */
export async function api<T = { id: string }>(request: APIRequestContext, method: "get" | "post" | "put", url: string, data?: unknown): Promise<T> {
  const res = await request[method](url, { headers: { authorization: `Bearer ${e2e.bootstrapToken}` }, data });
  expect(res.ok(), `${method.toUpperCase()} ${url}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/** Headers of a webhook signed as Stripe signs them (t=…,v1=HMAC-SHA256 of "t.body"). */
export function stripeHeaders(body: string, secret: string): Record<string, string> {
  const t = Math.floor(Date.now() / 1000);
  return { "stripe-signature": `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`, "content-type": "application/json" };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The Monaco editor named `label` (its textarea's aria-label starts with it). */
function codeBox(page: Page, label: string) {
  return page.getByRole("textbox", { name: new RegExp(`^${escapeRegExp(label)}`) });
}

/** Replaces the text of the Monaco editor named `label` as a user would: select all, paste (typing would auto-indent). */
export async function fillCode(page: Page, label: string, text: string): Promise<void> {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(e2e.baseUrl).origin });
  const box = codeBox(page, label);
  await expect(box).toBeAttached();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await box.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press(text === "" ? "Delete" : "ControlOrMeta+v");
}

/** The text the Monaco editor named `label` shows (its visible lines). */
export async function codeText(page: Page, label: string): Promise<string> {
  const editor = page.locator(".monaco-editor").filter({ has: codeBox(page, label) });
  await expect(editor.locator(".view-lines")).toBeVisible();
  return (await editor.locator(".view-lines").innerText()).replace(/\u00a0/g, " ");
}
