// Configuring in the browser, as an operator does: a source (then its secret rotated),
// a mapping for it (then edited), each checked by a real signed webhook, the API's
// validation shown on the form, and deleting both.
import { randomBytes } from "node:crypto";
import { E2E_ORG, expect, fillCode, screenshot, stripeHeaders, test } from "../fixtures";

test.describe.configure({ mode: "serial" });

const tag = randomBytes(3).toString("hex");
const FIRST_SECRET = `whsec_e2e_form_first_${tag}`;
const SECOND_SECRET = `whsec_e2e_form_second_${tag}`;
let sourceUrl = "";

const event = (n: number) => JSON.stringify({ id: `evt_${tag}_${n}`, type: "order.paid", data: { id: `ord_${tag}_${n}`, total: 10 * n } });

test("creates a source from the form, showing the API's validation first", async ({ page }, testInfo) => {
  await page.goto("/sources");
  await page.getByRole("link", { name: "New source" }).click();
  const form = page.getByRole("form", { name: "New source" });
  await form.getByLabel("Title").fill(`Shop form ${tag}`);
  await form.getByLabel("Mnemonic (in the inbound URL)").fill("Not A Mnemonic!");
  await form.getByLabel("Signature verification").selectOption("stripe");
  await form.getByLabel("Secret").fill(FIRST_SECRET);
  await form.getByRole("button", { name: "Create source" }).click();
  // The API's detail is shown at its field, which is marked invalid.
  const mnemonicField = form.getByLabel("Mnemonic (in the inbound URL)");
  await expect(mnemonicField).toHaveAttribute("aria-invalid", "true");
  await expect(mnemonicField).toHaveAccessibleDescription("must be 1–64 characters of A–Z, a–z, 0–9, _ and -");
  await screenshot(page, testInfo, "source-form-invalid");

  await form.getByLabel("Mnemonic (in the inbound URL)").fill(`shopform_${tag}`);
  await fillCode(page, "Payload schema (JSON Schema, optional)", '{ "type": "object", "required": ["id"] }');
  await form.getByRole("button", { name: "Create source" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Shop form ${tag}`), level: 1 })).toBeVisible();
  await expect(page.getByTestId("verification-table")).toContainText("stripe");
  await expect(page.getByTestId("verification-table")).toContainText(`…${FIRST_SECRET.slice(-4)}`);
  await expect(page.locator("body")).not.toContainText(FIRST_SECRET);
  sourceUrl = page.url();
});

test("a second source with the same mnemonic is refused with the API's reason", async ({ page }) => {
  await page.goto("/sources/new");
  const form = page.getByRole("form", { name: "New source" });
  await form.getByLabel("Title").fill("Duplicate");
  await form.getByLabel("Mnemonic (in the inbound URL)").fill(`shopform_${tag}`);
  await form.getByLabel("Secret").fill("whsec_duplicate_0001");
  await form.getByRole("button", { name: "Create source" }).click();
  await expect(form.getByLabel("Mnemonic (in the inbound URL)")).toHaveAccessibleDescription(
    `"shopform_${tag}" is already used by another source of this organization`,
  );
  await expect(form.getByRole("button", { name: "Create source" })).toBeEnabled();
});

test("creates a mapping from the form; a signed webhook then becomes its interaction", async ({ page, request }) => {
  await page.goto(sourceUrl);
  await page.getByRole("link", { name: "New mapping" }).click();
  const form = page.getByRole("form", { name: "New mapping" });
  await form.getByLabel("Resource type", { exact: true }).fill("order");
  await form.getByLabel("Action name").fill("paid");
  await fillCode(page, "Conditions", "[ not json");
  await form.getByLabel("Resource id path", { exact: true }).fill("data.id");
  await form.getByRole("button", { name: "Create mapping" }).click();
  await expect(form.getByRole("alert")).toContainText("Not valid JSON");
  await expect(form.getByRole("group", { name: /^Conditions/ })).toHaveAccessibleDescription(/^Not valid JSON/);

  await fillCode(page, "Conditions", '[{ "path": "type", "op": "eq", "value": "order.paid" }]');
  await fillCode(page, "Field mappings", '{ "total": "data.total" }');
  await form.getByLabel(/^Idempotency path/).fill("id");
  await form.getByRole("button", { name: "Create mapping" }).click();
  await expect(page.getByRole("heading", { name: /order\.paid/, level: 1 })).toBeVisible();
  await expect(page.getByTestId("mapping-conditions")).toContainText('type eq "order.paid"');

  const res = await request.post(`/api/inbound/${E2E_ORG}/by-mnemonic/shopform_${tag}?sync=true`, { headers: stripeHeaders(event(1), FIRST_SECRET), data: event(1) });
  expect(res.status(), await res.text()).toBe(200);
  const { interactionId } = (await res.json()) as { interactionId: string };
  await page.goto(`/interactions/${interactionId}`);
  await expect(page.getByTestId("interaction-object")).toContainText('"total": 10');
});

test("edits the mapping and rotates the source's secret; the next webhook needs the new one", async ({ page, request }) => {
  await page.goto(sourceUrl);
  await page.getByTestId("mappings-table").getByRole("link", { name: "order.paid" }).click();
  await expect(page.getByTestId("mapping-conditions")).toBeVisible();
  await page.getByRole("link", { name: "Edit" }).click();
  const form = page.getByRole("form", { name: "Edit mapping" });
  await form.getByLabel("Priority (higher is tried first)").fill("7");
  await form.getByLabel("Title (default: resource type.action)").fill("Order paid (form)");
  await form.getByRole("button", { name: "Save mapping" }).click();
  await expect(page.getByRole("heading", { name: /Order paid \(form\)/, level: 1 })).toBeVisible();
  await expect(page.getByText("priority 7")).toBeVisible();

  await page.goto(`${sourceUrl}/edit`);
  const sourceForm = page.getByRole("form", { name: "Edit source" });
  await expect(sourceForm.getByLabel(/^Secret \(stored: …/)).toHaveValue("");
  await sourceForm.getByLabel(/^Secret \(stored: …/).fill(SECOND_SECRET);
  await sourceForm.getByRole("button", { name: "Save source" }).click();
  await expect(page.getByTestId("verification-table")).toContainText(`…${SECOND_SECRET.slice(-4)}`);

  const url = `/api/inbound/${E2E_ORG}/by-mnemonic/shopform_${tag}?sync=true`;
  expect((await request.post(url, { headers: stripeHeaders(event(2), FIRST_SECRET), data: event(2) })).status()).toBe(401);
  expect((await request.post(url, { headers: stripeHeaders(event(3), SECOND_SECRET), data: event(3) })).status()).toBe(200);
});

test("deletes the mapping, then the source", async ({ page }) => {
  await page.goto(sourceUrl);
  await page.getByTestId("mappings-table").getByRole("link", { name: "Order paid (form)" }).click();
  await expect(page.getByTestId("mapping-conditions")).toBeVisible();
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("dialog")).toContainText('Delete the mapping "Order paid (form)"?');
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(sourceUrl);
  await expect(page.getByText("No mappings: events to this source are recorded as unmatched.")).toBeVisible();

  await page.goto(`${sourceUrl}/edit`);
  await page.getByRole("button", { name: "Delete" }).click();
  // Escape cancels: nothing is deleted.
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.reload();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/sources$/);
  await expect(page.getByRole("main")).not.toContainText(`shopform_${tag}`);
});
