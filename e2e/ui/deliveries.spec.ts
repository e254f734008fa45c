// Deliveries and targets as an operator handles a receiver's outage: deliveries that ran
// out of attempts are found by status and target, retried one at a time or all at once,
// and keep their attempt history.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { E2E_ORG, api, expect, screenshot, stripeHeaders, test } from "../fixtures";

const SECRET = "whsec_e2e_deliveries_secret_0001";
const tag = randomBytes(3).toString("hex");
let targetId: string;

async function eventually(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 20_000 });
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  const source = await api(request, "post", "/api/v1/inbound-sources", {
    title: `Billing ${tag}`,
    mnemonic: `bill_${tag}`,
    verification: { preset: "stripe", secret: SECRET },
  });
  const mapping = await api(request, "post", "/api/v1/inbound-mappings", {
    sourceId: source.id,
    title: "Invoice paid",
    resourceType: "invoice",
    action: "paid",
    idempotencyPath: "id",
    resourceIdPath: "data.invoice",
  });
  // One attempt per budget to a host that never resolves: each delivery ends dead at once.
  targetId = (
    await api(request, "post", "/api/v1/targets", {
      name: `erp-${tag}`,
      url: `https://erp-${tag}.invalid/webhooks`,
      auth: { type: "bearer", secret: "erp_e2e_bearer_token_0001" },
      retry: { maxAttempts: 1 },
    })
  ).id;
  await api(request, "post", "/api/v1/routes", { mappingId: mapping.id, targetId });
  for (const n of [1, 2]) {
    const body = JSON.stringify({ id: `evt_${tag}_${n}`, data: { invoice: `inv_${tag}_${n}` } });
    const res = await request.post(`/api/inbound/${E2E_ORG}/by-mnemonic/bill_${tag}?sync=true`, { headers: stripeHeaders(body, SECRET), data: body });
    expect(res.status(), await res.text()).toBe(200);
  }
});

test("targets show URL, auth and signing without secrets, and link to their deliveries", async ({ page }, testInfo) => {
  await page.goto("/targets");
  const row = page.getByTestId("targets-table").getByRole("row").filter({ hasText: `erp-${tag}` });
  await expect(row).toContainText(`https://erp-${tag}.invalid/webhooks`);
  await expect(row).toContainText("bearer");
  await expect(row).toContainText("…0001");
  await expect(row).toContainText("standard-webhooks");
  await expect(row).toContainText("1 × exponential");
  await expect(page.locator("body")).not.toContainText("erp_e2e_bearer_token_0001");
  await screenshot(page, testInfo, "targets");
  await row.getByRole("link", { name: `erp-${tag}` }).click();
  await expect(page).toHaveURL(new RegExp(`/deliveries\\?targetId=${targetId}`));
});

test("dead deliveries are retried one by one and all at once, keeping their attempts", async ({ page }, testInfo) => {
  await page.goto(`/deliveries?status=dead&targetId=${targetId}`);
  const rows = page.getByTestId("deliveries-table").locator("tbody tr");
  await eventually(page, async () => {
    await expect(rows).toHaveCount(2, { timeout: 1_000 });
  });
  await expect(rows.first()).toContainText("DNS lookup failed");
  await expect(rows.first()).toContainText("1 attempt");
  await screenshot(page, testInfo, "deliveries-dead");

  await rows.first().getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("toasts")).toContainText("Queued again");
  // The retried one fails again (one more attempt, kept with the first) and is dead again.
  await page.goto(`/deliveries?targetId=${targetId}`);
  await eventually(page, async () => {
    await expect(page.getByTestId("deliveries-table")).toContainText("2 attempts", { timeout: 1_000 });
  });

  await page.goto(`/deliveries?status=dead&targetId=${targetId}`);
  await eventually(page, async () => {
    await expect(rows).toHaveCount(2, { timeout: 1_000 });
  });
  await page.getByRole("button", { name: `Retry every dead delivery to erp-${tag}` }).click();
  await expect(page.getByTestId("toasts")).toContainText("Queued 2 again");
  await page.goto(`/deliveries?targetId=${targetId}`);
  await eventually(page, async () => {
    await expect(page.getByTestId("deliveries-table")).toContainText("3 attempts", { timeout: 1_000 });
    await expect(page.getByTestId("deliveries-table").locator("tbody tr").filter({ hasText: "2 attempts" })).toHaveCount(1, { timeout: 1_000 });
  });
});

test("a bad filter is a message", async ({ page }) => {
  await page.goto("/deliveries?status=lost");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("status: must be one of: pending, succeeded, failed, dead");
});
