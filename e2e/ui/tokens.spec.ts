// API tokens from the console (admins): a token is shown once, works with its role at
// once, and stops working when revoked.
import { randomBytes } from "node:crypto";
import { expect, screenshot, test } from "../fixtures";

test("an admin creates a reviewer token, sees it once, uses it, and revokes it", async ({ page, request }, testInfo) => {
  const name = `ci-${randomBytes(3).toString("hex")}`;
  await page.goto("/");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Tokens" }).click();
  const form = page.getByRole("form", { name: "New API token" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Role").selectOption("reviewer");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^prv_/);
  const row = page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("reviewer");
  await expect(row).toContainText(`${token.slice(0, 12)}…`);
  await expect(row).toContainText("never");
  await screenshot(page, testInfo, "tokens");

  const auth = { authorization: `Bearer ${token}` };
  expect((await request.get("/api/v1/inbound-sources", { headers: auth })).status()).toBe(200);
  // A reviewer reads; writing configuration is refused.
  expect((await request.post("/api/v1/inbound-sources", { headers: auth, data: { title: "x", mnemonic: "x" } })).status()).toBe(403);

  // The page no longer shows the token after a reload; only its prefix stays.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(token);

  await page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name }).getByRole("button", { name: "Revoke" }).click();
  // A confirmation dialog, not the browser's: Cancel keeps the token.
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Revoke the token "${name}"?`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name })).toHaveCount(1);
  expect((await request.get("/api/v1/inbound-sources", { headers: auth })).status()).toBe(200);
  await page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("toasts")).toContainText(`Revoked the token "${name}"`);
  await expect(page.getByTestId("tokens-table").getByRole("row").filter({ hasText: name })).toHaveCount(0);
  expect((await request.get("/api/v1/inbound-sources", { headers: auth })).status()).toBe(401);
});
