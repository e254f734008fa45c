// A team from the console: the admin invites a reviewer, who opens the one-time link in
// their own browser, sets a password, is signed in, approves a package version someone
// else uploaded (and is named in its history), and cannot change a source. Then the admin
// deactivates them, which signs them out at once. The new pages are checked with axe.
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { BrowserContext } from "@playwright/test";
import { encodeFiles } from "../../providerflow/cli/api-client";
import { loadPackage } from "../../providerflow/load-package";
import { api, axeClean, expect, screenshot, test } from "../fixtures";

const PACKAGES = path.resolve(import.meta.dirname, "../../providerflow/packages");

test.describe.configure({ mode: "serial" });

const suffix = randomBytes(3).toString("hex");
const reviewerEmail = `rita-${suffix}@example.com`;
const reviewerPassword = `rita's long password ${suffix}`;
let inviteUrl = "";
let versionId = "";
let sourceId = "";
let ritaState: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;

test.beforeAll(async ({ request }) => {
  // A sandbox-validated version uploaded by the bootstrap token: someone other than Rita.
  for (const [name, value] of [
    ["SLACK_SIGNING_SECRET", "slack-e2e-signing-secret-0001"],
    ["ANALYTICS_API_KEY", "analytics-e2e-key-0001"],
  ])
    await api(request, "put", `/api/v1/secrets/${name}`, { value });
  const loaded = await loadPackage(path.join(PACKAGES, "slack-events"));
  if (!loaded.ok) throw new Error("slack-events did not load");
  const version = await api<{ id: string; status: string }>(request, "post", "/api/v1/providerflow/versions", { files: encodeFiles(loaded.files) });
  expect(version.status).toBe("sandbox-validated");
  versionId = version.id;
  sourceId = (await api(request, "post", "/api/v1/inbound-sources", { title: `Team source ${suffix}`, mnemonic: `team-${suffix}` })).id;
});

test("the admin invites a reviewer and gets a one-time link", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL(/\/settings\/members$/);

  const form = page.getByRole("form", { name: "Invite a member" });
  // A bad email is shown at its field, and nothing is sent.
  await form.getByLabel("Email").fill("not an email");
  await form.getByRole("button", { name: "Invite" }).click();
  await expect(form.getByText("must be an email address")).toBeVisible();
  await expect(form.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Email").fill(reviewerEmail);
  await form.getByLabel("Name (optional)").fill("Rita Reviewer");
  await form.getByLabel("Role").selectOption("reviewer");
  await form.getByRole("button", { name: "Invite" }).click();
  const link = page.getByTestId("invite-link");
  await expect(link).toContainText(reviewerEmail);
  inviteUrl = (await link.locator("code").textContent()) ?? "";
  expect(inviteUrl).toMatch(/\/invite\/inv_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("toasts")).toContainText(`Invited ${reviewerEmail}`);
  const row = page.getByTestId(`member-${reviewerEmail}`);
  await expect(row.locator("[data-status]")).toHaveText("invited");
  await screenshot(page, testInfo, "members-invited");
  await axeClean(page);

  // Inviting the same email again is refused at the field.
  await form.getByLabel("Email").fill(reviewerEmail);
  await form.getByRole("button", { name: "Invite" }).click();
  await expect(form.getByText("is already a member of this org")).toBeVisible();
});

test("the reviewer opens the link in their own browser, sets a password, approves, and changes nothing else", async ({ browser, baseURL }, testInfo) => {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const invitePath = new URL(inviteUrl).pathname;
  await page.goto(invitePath);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Join /);
  await expect(page.getByText(reviewerEmail)).toBeVisible();
  await axeClean(page);
  await screenshot(page, testInfo, "invite-page");
  await page.getByLabel("Password", { exact: true }).fill(reviewerPassword);
  await page.getByLabel("Password again").fill("something else entirely");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByText("does not match the password")).toBeVisible();
  await page.getByLabel("Password again").fill(reviewerPassword);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByTestId("user-email")).toHaveText(reviewerEmail);
  await expect(page.getByTestId("user-role")).toHaveText("reviewer");

  // The link is spent.
  await page.goto(invitePath);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This invitation link does not work");

  // Approves a version someone else uploaded; the history names them.
  await page.goto(`/packages/${versionId}`);
  await page.getByLabel("Note for the approval history (optional)").fill("Reviewed by Rita");
  await page.getByRole("button", { name: "Approve this digest" }).click();
  await expect(page.getByTestId("version-status")).toHaveText("Approved");
  await expect(page.getByTestId("approvals-table")).toContainText(`Rita Reviewer <${reviewerEmail}>`);

  // Sees sources but cannot change one.
  await page.goto("/sources");
  await page.getByTestId("sources-table").getByRole("link", { name: `Team source ${suffix}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Team source ${suffix}`);
  await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await page.goto(`/sources/${sourceId}/edit`);
  await expect(page.getByText(/Only operators and admins can/)).toBeVisible();
  // Nor invite anyone: the members page shows the team, without the invite form.
  await page.goto("/settings/members");
  await expect(page.getByTestId(`member-${reviewerEmail}`)).toBeVisible();
  await expect(page.getByRole("form", { name: "Invite a member" })).toHaveCount(0);
  await screenshot(page, testInfo, "members-as-reviewer");
  ritaState = await context.storageState();
  await context.close();
});

test("the admin deactivates the reviewer: signed out at once, and sign-in refused", async ({ page, browser, baseURL }, testInfo) => {
  await page.goto("/settings/members");
  const row = page.getByTestId(`member-${reviewerEmail}`);
  await expect(row.locator("[data-status]")).toHaveText("active");
  await row.getByRole("button", { name: "Deactivate" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Deactivate Rita Reviewer");
  await dialog.getByRole("button", { name: "Deactivate" }).click();
  await expect(row.locator("[data-status]")).toHaveText("deactivated");
  await screenshot(page, testInfo, "members-deactivated");

  // Rita's browser, still holding her session cookie, is sent to sign-in.
  const rita = await browser.newContext({ baseURL, storageState: ritaState });
  const ritaPage = await rita.newPage();
  await ritaPage.goto("/sources");
  await expect(ritaPage).toHaveURL(/\/login/);
  await rita.close();
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page2 = await context.newPage();
  await page2.goto("/login");
  await page2.getByLabel("Email").fill(reviewerEmail);
  await page2.getByLabel("Password").fill(reviewerPassword);
  await page2.getByRole("button", { name: "Sign in" }).click();
  await expect(page2.getByText("Invalid email or password")).toBeVisible();
  await context.close();

  await row.getByRole("button", { name: "Reactivate" }).click();
  await expect(row.locator("[data-status]")).toHaveText("active");
});

test("your account: a wrong current password is shown at its field; the org setting is visible", async ({ page }, testInfo) => {
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Change your password" });
  await form.getByLabel("Current password").fill("not my password at all");
  await form.getByLabel("New password", { exact: true }).fill("a brand new password 1");
  await form.getByLabel("New password again").fill("a brand new password 1");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("is not your current password")).toBeVisible();
  await expect(page.getByLabel("Separation of duties for approvals")).toBeChecked();
  await screenshot(page, testInfo, "settings");
  await axeClean(page);
});
