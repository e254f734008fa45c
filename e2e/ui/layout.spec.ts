// Every console page, as a keyboard and screen-reader user and on a tablet would meet it:
// axe finds no WCAG 2 A/AA violation at 1280 px, and at 768 px the page does not scroll
// sideways (wide tables scroll inside their card, the editor and graphs stack). The
// editor, the topology and the flows list are kept as 768 px screenshots to look at.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { api, axeClean, expect, screenshot, test } from "../fixtures";

const suffix = randomBytes(3).toString("hex");
const pkg = `layout-${suffix}`;
const ids = { source: "", mapping: "", version: "" };

test.beforeAll(async ({ request }) => {
  ids.source = (await api(request, "post", "/api/v1/inbound-sources", { title: `Layout ${suffix}`, mnemonic: `layout-${suffix}` })).id;
  ids.mapping = (
    await api(request, "post", "/api/v1/inbound-mappings", {
      sourceId: ids.source,
      title: "Order paid",
      resourceType: "order",
      action: "paid",
      conditions: [{ path: "type", op: "eq", value: "order.paid" }],
      resourceIdPath: "data.id",
      payloadSchema: { type: "object", required: ["data"] },
    })
  ).id;
  const template = await api<{ files: Record<string, string> }>(request, "post", "/api/v1/providerflow/templates", { name: pkg, preset: "generic" });
  ids.version = (await api(request, "post", "/api/v1/providerflow/versions", { files: template.files })).id;
});

/** What must be on screen before the page is judged (client-rendered parts included). */
async function ready(page: Page, name: string): Promise<void> {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  if (name === "flow-editor") await expect(page.locator(".monaco-editor").first()).toBeVisible();
  if (name === "flow-editor" || name === "topology") await expect(page.locator(".react-flow__node").first()).toBeVisible();
  if (name === "mapping" || name === "source-new") await expect(page.locator(".monaco-editor").first()).toBeVisible();
}

const PAGES: [string, () => string][] = [
  ["home", () => "/"],
  ["sources", () => "/sources"],
  ["source", () => `/sources/${ids.source}`],
  ["source-new", () => "/sources/new"],
  ["mapping", () => `/mappings/${ids.mapping}`],
  ["events", () => "/events"],
  ["interactions", () => "/interactions"],
  ["deliveries", () => "/deliveries"],
  ["targets", () => "/targets"],
  ["tokens", () => "/tokens"],
  ["packages", () => "/packages"],
  ["package", () => `/packages/${ids.version}`],
  ["flows", () => "/flows"],
  ["flow-editor", () => `/flows/${pkg}`],
  ["topology", () => "/topology"],
  ["settings", () => "/settings"],
  ["members", () => "/settings/members"],
];

const SCREENSHOTS = new Set(["flows", "flow-editor", "topology", "package", "mapping"]);

for (const [name, url] of PAGES) {
  test(`${name}: axe-clean at 1280 px, no sideways scrolling at 768 px`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url());
    await ready(page, name);
    await axeClean(page);

    // As a tablet loads it (graphs fit their view at load).
    await page.setViewportSize({ width: 768, height: 1000 });
    await page.reload();
    await ready(page, name);
    // The account stays whole: the role badge is not squeezed or pushed out of the window.
    const badge = await page.getByTestId("user-role").boundingBox();
    expect(badge && badge.x + badge.width).toBeLessThanOrEqual(768);
    const signOut = await page.getByRole("button", { name: "Sign out" }).boundingBox();
    expect(badge && signOut && badge.x + badge.width <= signOut.x).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `the page is ${overflow} px wider than a 768 px window`).toBeLessThanOrEqual(0);
    if (SCREENSHOTS.has(name)) await screenshot(page, testInfo, `${name}-768`);
  });
}

test("the console is usable from the keyboard: skip to the content, the navigation in order", async ({ page }) => {
  await page.goto("/sources");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
  // The next Tab is inside the page's content (the first link or control of the main region).
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);

  // From the top, Tab walks the navigation in its visual order.
  await page.goto("/sources");
  const seen: string[] = [];
  for (let i = 0; i < 20 && !seen.includes("Topology"); i++) {
    await page.keyboard.press("Tab");
    seen.push(((await page.evaluate(() => document.activeElement?.textContent)) ?? "").trim());
  }
  const order = ["Sources", "Events", "Interactions", "Deliveries", "Flows", "Topology"].map((l) => seen.indexOf(l));
  expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
});

test("the sign-in page: axe-clean, and no sideways scrolling at 768 px", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await axeClean(page);
  await page.setViewportSize({ width: 768, height: 1000 });
  await page.reload();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
