// Sources and mappings as an operator reads them, and the mapping tester: a dry run of
// one mapping against a payload, prefilled with the source's newest verified event.
import { randomBytes, randomUUID } from "node:crypto";
import { E2E_ORG, api, codeText, e2e, expect, fillCode, screenshot, stripeHeaders, test } from "../fixtures";

const SECRET = "whsec_e2e_sources_secret_0001";
const tag = randomBytes(3).toString("hex");
let sourceId: string;
let mappingId: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  sourceId = (
    await api(request, "post", "/api/v1/inbound-sources", {
      title: `Shop ${tag}`,
      mnemonic: `shop_${tag}`,
      verification: { preset: "stripe", secret: SECRET },
    })
  ).id;
  mappingId = (
    await api(request, "post", "/api/v1/inbound-mappings", {
      sourceId,
      title: "Order paid",
      resourceType: "order",
      action: "paid",
      priority: 5,
      conditions: [
        { path: "type", op: "eq", value: "order.paid" },
        { path: "data.total", op: "gt", value: 0 },
      ],
      payloadSchema: { type: "object", required: ["total"], properties: { total: { type: "integer" } } },
      schemaRootPath: "data",
      idempotencyPath: "id",
      resourceIdPath: "data.order_id",
      fieldMappings: { total: "data.total" },
    })
  ).id;
  // One verified event, which the tester starts from.
  const body = JSON.stringify({ id: `evt_${tag}`, type: "order.paid", data: { order_id: `ord_${tag}`, total: 1250 } });
  const res = await request.post(`/api/inbound/${E2E_ORG}/by-mnemonic/shop_${tag}?sync=true`, { headers: stripeHeaders(body, SECRET), data: body });
  expect(res.status(), await res.text()).toBe(200);
});

test("the sources list and a source's page show URLs, verification without the secret, and its mappings", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Sources" }).click();
  const row = page.getByTestId("sources-table").getByRole("row").filter({ hasText: `shop_${tag}` });
  await expect(row).toContainText(`/api/inbound/${E2E_ORG}/by-mnemonic/shop_${tag}`);
  await expect(row).toContainText("stripe");
  await expect(row).toContainText("…0001");
  await row.getByRole("link", { name: `Shop ${tag}` }).click();

  await expect(page.getByRole("heading", { name: new RegExp(`Shop ${tag}`), level: 1 })).toBeVisible();
  await expect(page.getByTestId("url-by-mnemonic")).toHaveText(`${e2e.baseUrl}/api/inbound/${E2E_ORG}/by-mnemonic/shop_${tag}`);
  await expect(page.getByTestId("verification-table")).toContainText("Stripe-Signature");
  await expect(page.getByTestId("verification-table")).toContainText("300 s");
  await expect(page.locator("body")).not.toContainText(SECRET);
  const mapping = page.getByTestId("mappings-table").getByRole("row").filter({ hasText: "Order paid" });
  await expect(mapping).toContainText('type eq "order.paid" and data.total gt 0');
  await expect(mapping).toContainText("order · paid");
  await screenshot(page, testInfo, "source");
  await mapping.getByRole("link", { name: "Order paid" }).click();
  await expect(page).toHaveURL(new RegExp(`/mappings/${mappingId}$`));
});

test("the mapping tester runs the prefilled event, then an edited payload, showing each condition and the would-be interaction", async ({ page }, testInfo) => {
  await page.goto(`/mappings/${mappingId}`);
  await expect(page.getByTestId("mapping-conditions")).toContainText('type eq "order.paid"');
  await expect.poll(() => codeText(page, "Payload (JSON)")).toMatch(new RegExp(`"order_id": "ord_${tag}"`));

  await page.getByRole("button", { name: "Test this payload" }).click();
  await expect(page.getByTestId("test-matched")).toHaveText("Matches");
  // It was delivered once already: a real delivery of it now would be a duplicate.
  await expect(page.getByTestId("test-result")).toContainText("would be a duplicate");
  await expect(page.getByTestId("test-interaction")).toContainText('"total": 1250');
  await expect(page.getByTestId("test-result")).toContainText(`resource ord_${tag}`);

  await fillCode(page, "Payload (JSON)", JSON.stringify({ id: "evt_other", type: "order.paid", data: { order_id: "ord_2", total: "a lot" } }));
  await page.getByRole("button", { name: "Test this payload" }).click();
  const conditions = page.getByTestId("test-conditions");
  await expect(conditions.getByRole("row").filter({ hasText: "data.total gt 0" })).toContainText('"a lot"');
  await expect(conditions.getByRole("row").filter({ hasText: "data.total gt 0" })).toContainText("fail");
  await expect(page.getByTestId("test-matched")).toHaveText("Does not match");
  await expect(page.getByTestId("test-schema-errors")).toContainText("/data/total");
  await screenshot(page, testInfo, "mapping-tester");

  // Matches and passes the schema, but has no order id: a build failure, told apart from a schema error.
  await fillCode(page, "Payload (JSON)", JSON.stringify({ id: "evt_noid", type: "order.paid", data: { total: 5 } }));
  await page.getByRole("button", { name: "Test this payload" }).click();
  await expect(page.getByTestId("test-matched")).toHaveText("Matches");
  await expect(page.getByTestId("test-verdict")).toHaveText("would be refused (422)");
  await expect(page.getByTestId("test-failure")).toContainText("Resource id not found");
  await expect(page.getByTestId("test-failure")).toContainText("/data/order_id");
  await expect(page.getByTestId("test-schema-errors")).toHaveCount(0);
  await screenshot(page, testInfo, "mapping-tester-build-failure");

  await fillCode(page, "Payload (JSON)", "{ not json");
  await page.getByRole("button", { name: "Test this payload" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("The payload is not valid JSON");
});

test("a source's page counts its failed requests and states the retention policy", async ({ page, request }, testInfo) => {
  // Two forged requests: both stored as failed events (far below the hourly budget).
  for (const n of [1, 2]) {
    const body = JSON.stringify({ id: `evt_forged_${n}`, type: "order.paid" });
    const res = await request.post(`/api/inbound/${E2E_ORG}/by-mnemonic/shop_${tag}`, { headers: stripeHeaders(body, "whsec_forged_0000"), data: body });
    expect(res.status()).toBe(401);
  }
  await page.goto(`/sources/${sourceId}`);
  const hour = page.getByTestId("failed-requests-table").getByRole("row").filter({ hasText: "This hour" });
  await expect(hour.getByRole("cell")).toHaveText([/This hour \(since \d{2}:00 UTC\)/, "2", "0"]);
  await expect(page.getByTestId("failed-not-stored")).toHaveCount(0);
  const policy = page.getByTestId("retention-policy");
  await expect(policy).toContainText("bodies are deleted after 30 days");
  await expect(policy).toContainText("failed events are deleted after 7 days");
  await expect(policy).toContainText("at most 100 per source per hour are stored as events");
  await screenshot(page, testInfo, "source-failed-requests");
  await page.goto("/events");
  await expect(page.getByTestId("retention-policy")).toContainText("bodies are deleted after 30 days");
});

test("an unknown source or mapping is a 404 page", async ({ page }) => {
  expect((await page.goto(`/sources/${randomUUID()}`))?.status()).toBe(404);
  expect((await page.goto(`/mappings/${randomUUID()}`))?.status()).toBe(404);
});
