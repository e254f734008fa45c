// The API reference page: read from the served OpenAPI document, so what it shows is what
// /api/openapi.json says (issue 12: readable reference docs, bundled with the app).
import { expect, screenshot, test } from "../fixtures";

test("the API reference lists every operation of the document by tag, with who may call it and every answer", async ({ page, request }, testInfo) => {
  const doc = (await (await request.get("/api/openapi.json")).json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
  const operationIds = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId).filter(Boolean));

  await page.goto("/");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API" }).click();
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  // Every operation of the document has its row, found by its operationId.
  for (const id of operationIds) await expect(page.locator(`tr[id="${id}"]`), id!).toHaveCount(1);

  const sources = page.getByTestId("api-tag-inbound-sources");
  await expect(sources).toContainText("Where providers send webhooks");
  const create = page.locator('tr[id="createInboundSource"]');
  await expect(create).toContainText("POST /api/v1/inbound-sources");
  await expect(create).toContainText("JSON body");
  await expect(create).toContainText("400 Invalid body or query");
  const inbound = page.locator('tr[id="receiveInboundByMnemonic"]');
  await expect(inbound).toContainText('422 Sync: "Resource id not found"');
  await expect(inbound).toContainText("Action not found");
  await expect(inbound).toContainText("503");
  await expect(page.getByRole("link", { name: "/api/openapi.json" })).toHaveAttribute("href", "/api/openapi.json");
  await screenshot(page, testInfo, "api-docs");
});
