// The console home of a signed-in admin (storage state from the setup project).
import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { E2E_ORG, e2e, expect, screenshot, test } from "../fixtures";

/** A source made through the management API, and one webhook delivered to it in sync mode. */
async function seedSource(request: APIRequestContext, title: string): Promise<{ mnemonic: string; inboundUrl: string }> {
  const mnemonic = `e2e_${randomBytes(4).toString("hex")}`;
  const created = await request.post("/api/v1/inbound-sources", {
    headers: { authorization: `Bearer ${e2e.bootstrapToken}` },
    data: { title, mnemonic, description: "Made by the e2e suite" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const inboundUrl = `${e2e.baseUrl}/api/inbound/${E2E_ORG}/by-mnemonic/${mnemonic}`;
  const delivered = await request.post(`${inboundUrl}?sync=true`, { data: { type: "order.created", id: mnemonic } });
  expect(delivered.status(), await delivered.text()).toBe(200);
  return { mnemonic, inboundUrl };
}

test("shows the org's sources with their inbound URLs and the newest events", async ({ page, request }) => {
  const { mnemonic, inboundUrl } = await seedSource(request, "Orders webhook");
  await page.goto("/");

  const totals = page.getByRole("list").filter({ hasText: "Sources" }).first();
  for (const label of ["Sources", "Mappings", "Events", "Interactions"]) await expect(totals).toContainText(label);

  const sources = page.getByRole("region", { name: "Sources" });
  const row = sources.getByRole("row").filter({ hasText: mnemonic });
  await expect(row).toContainText("Orders webhook");
  await expect(row).toContainText(inboundUrl);
  await expect(row).toContainText("Active");

  const events = page.getByRole("region", { name: "Recent events" });
  // No mapping exists, so the delivered event is recorded as unmatched.
  await expect(events.getByRole("row").filter({ hasText: "Orders webhook" }).first()).toContainText(/unmatched/i);

  await expect(page.getByRole("link", { name: "OpenAPI 3.1 document" })).toHaveAttribute("href", "/api/openapi.json");
});

test("the header names the signed-in admin, the role and the org", async ({ page }) => {
  await page.goto("/");
  const banner = page.getByRole("banner");
  await expect(banner.getByTestId("user-email")).toHaveText(e2e.admin.email);
  await expect(banner.getByTestId("user-role")).toHaveText("admin");
  await expect(banner).toContainText(E2E_ORG);
  await expect(banner.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page).toHaveTitle("Provenance");
});

test("a signed-in visit to /login goes straight to the home page", async ({ page, baseURL }) => {
  await page.goto("/login");
  await expect(page).toHaveURL(`${baseURL}/`);
});

test("screenshots of the home page", async ({ page, request }, testInfo) => {
  await seedSource(request, "Stripe payments");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await screenshot(page, testInfo, "home-1280");
  await page.setViewportSize({ width: 375, height: 740 });
  await screenshot(page, testInfo, "home-375");
});
