// Request paths in the console: a GitHub source's new mapping suggests deduplicating on
// X-GitHub-Delivery; a mapping selecting on X-GitHub-Event matches the real webhook; the
// tester is prefilled with that webhook's headers (the signature left out) and answers
// differently when the operator changes the event header.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { api, codeText, E2E_ORG, expect, fillCode, screenshot, test } from "../fixtures";

const tag = randomBytes(3).toString("hex");
const SECRET = `github-e2e-secret-${tag}`;

test("a GitHub mapping selects on the event header and the tester reads headers", async ({ page, request }, testInfo) => {
  const source = await api(request, "post", "/api/v1/inbound-sources", {
    title: `GitHub ${tag}`,
    mnemonic: `gh-${tag}`,
    verification: { preset: "github", secret: SECRET },
  });

  // The console suggests GitHub's delivery id for deduplication.
  await page.goto(`/sources/${source.id}/mappings/new`);
  const form = page.getByRole("form", { name: "New mapping" });
  await expect(form.getByLabel(/^Idempotency path/)).toHaveValue("$headers.x-github-delivery");
  await expect(form.getByText("Suggested for github: $headers.x-github-delivery")).toBeVisible();
  await form.getByLabel("Title (default: resource type.action)").fill("Pull request");
  await form.getByLabel("Resource type", { exact: true }).fill("pull_request");
  await form.getByLabel("Action", { exact: true }).selectOption("path");
  await form.getByLabel("Action path").fill("action");
  await fillCode(page, "Conditions", '[{ "path": "$headers.x-github-event", "op": "eq", "value": "pull_request" }]');
  await form.getByLabel("Resource id path", { exact: true }).fill("pull_request.id");
  await form.getByRole("button", { name: "Create mapping" }).click();
  await expect(page.getByRole("heading", { name: "Pull request", level: 1 })).toBeVisible();
  const mappingUrl = page.url();

  const body = JSON.stringify({ action: "opened", number: 1, pull_request: { id: 4242, title: "Add it" } });
  const delivery = randomUUID();
  const headers = {
    "content-type": "application/json",
    "x-github-event": "pull_request",
    "x-github-delivery": delivery,
    "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
  };
  const url = `/api/inbound/${E2E_ORG}/by-mnemonic/gh-${tag}?sync=true`;
  const first = await request.post(url, { headers, data: body });
  expect(first.status(), await first.text()).toBe(200);
  // GitHub redelivers the same delivery: a duplicate.
  const again = await request.post(url, { headers, data: body });
  expect(await again.json()).toMatchObject({ duplicate: true });

  // The tester starts from that webhook: its body and its headers, without the signature.
  await page.goto(mappingUrl);
  const sample = await codeText(page, "Headers (JSON object, optional)");
  expect(sample).toContain('"x-github-event": "pull_request"');
  expect(sample).toContain(delivery);
  expect(sample).not.toContain("x-hub-signature-256");
  await page.getByRole("button", { name: "Test this payload" }).click();
  await expect(page.getByTestId("test-matched")).toHaveText("Matches");
  await expect(page.getByTestId("test-matched")).toBeVisible();
  await expect(page.getByTestId("test-result")).toContainText("would be a duplicate");
  await screenshot(page, testInfo, "mapping-tester-headers");

  await fillCode(page, "Headers (JSON object, optional)", '{ "x-github-event": "push" }');
  await page.getByRole("button", { name: "Test this payload" }).click();
  await expect(page.getByTestId("test-matched")).toHaveText("Does not match");
  await expect(page.getByTestId("test-conditions").getByRole("row").filter({ hasText: "$headers.x-github-event" })).toContainText('"push"');

  await fillCode(page, "Headers (JSON object, optional)", '{ "x-github-event": 1 }');
  await page.getByRole("button", { name: "Test this payload" }).click();
  await expect(page.getByRole("group", { name: "Headers (JSON object, optional)" })).toHaveAccessibleDescription(/must be a JSON object of strings/);

  // Before saving a change, the operator previews it on the source's recent events.
  await page.goto(`${mappingUrl}/edit`);
  await fillCode(page, "Conditions", '[{ "path": "$headers.x-github-event", "op": "eq", "value": "push" }]');
  await page.getByRole("button", { name: "Preview on recent events" }).click();
  // Both events would go unmatched; the redelivery was a duplicate today and no longer is.
  await expect(page.getByTestId("what-if-summary")).toContainText("2 events change mapping, 1 stops being a duplicate (of 2 events).");
  await expect(page.getByTestId("what-if-table").locator("tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("what-if-table").locator("tbody tr").first()).toContainText("unmatched");
  await screenshot(page, testInfo, "what-if");
  // Nothing was saved: the mapping still selects pull requests.
  await page.goto(mappingUrl);
  await expect(page.getByText('$headers.x-github-event eq "pull_request"')).toBeVisible();
});
