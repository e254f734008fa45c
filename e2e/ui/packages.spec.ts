// The reviewers' pages for ProviderFlow versions (providerflow.md §5–6): the list, one
// version's DAG, fixtures with golden diffs and traces, scans, digest and approval
// history, and approving from the page. Packages are the shipped examples, uploaded
// through the management API under the org's own secrets.
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { encodeFiles } from "../../providerflow/cli/api-client";
import { loadPackage } from "../../providerflow/load-package";
import { api, e2e, expect, screenshot, test } from "../fixtures";

const PACKAGES = path.resolve(import.meta.dirname, "../../providerflow/packages");

async function upload(request: APIRequestContext, name: string) {
  const loaded = await loadPackage(path.join(PACKAGES, name));
  if (!loaded.ok) throw new Error(`${name} did not load`);
  return api<{ id: string; status: string; digest: string }>(request, "post", "/api/v1/providerflow/versions", { files: encodeFiles(loaded.files) });
}

test.describe.configure({ mode: "serial" });

let stripe: Awaited<ReturnType<typeof upload>>;
let sender: Awaited<ReturnType<typeof upload>>;

test.beforeAll(async ({ request }) => {
  // The org's own secrets; the examples' fixtures are signed with them at each run.
  for (const [name, value] of [
    ["STRIPE_WEBHOOK_SECRET", "whsec_e2e_org_stripe_secret_0001"],
    ["DW_TOKEN", "dw_e2e_token_0001"],
    ["SENDER_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ["CRM_SIGNING_SECRET", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"],
  ])
    await api(request, "put", `/api/v1/secrets/${name}`, { value });
  stripe = await upload(request, "stripe-payments");
  expect(stripe.status).toBe("sandbox-validated");
  // Its rotation fixture pins signatures made with the test keys, so under these secrets
  // it fails and the version stays a draft (providerflow/packages/README.md).
  sender = await upload(request, "standard-webhooks-sender");
  expect(sender.status).toBe("draft");
});

test("lists the org's versions with status, fixtures and scans, each prod revalidation pending", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Packages" }).click();
  await expect(page.getByRole("heading", { name: "Packages", level: 1 })).toBeVisible();
  const table = page.getByTestId("versions-table");
  const stripeRow = table.getByRole("row").filter({ hasText: "stripe-payments" });
  await expect(stripeRow).toContainText(stripe.digest.slice(0, 12));
  await expect(stripeRow.getByTestId("version-status")).toHaveText("Sandbox-validated");
  await expect(stripeRow.getByTestId("prod-pending")).toBeVisible();
  await expect(stripeRow).toContainText("7/7 passed");
  const senderRow = table.getByRole("row").filter({ hasText: "standard-webhooks-sender" });
  await expect(senderRow.getByTestId("version-status")).toHaveText("Draft");
  await expect(senderRow).toContainText("1 errors");
  await screenshot(page, testInfo, "packages-list");
});

test("a sandbox-validated version shows its DAG, fixtures and digest, and a reviewer approves it there", async ({ page }, testInfo) => {
  await page.goto("/packages");
  await page.getByRole("link", { name: "stripe-payments" }).click();
  await expect(page.getByRole("heading", { name: /stripe-payments/, level: 1 })).toBeVisible();
  await expect(page.getByTestId("version-digest")).toHaveText(stripe.digest);

  // One endpoint, three flows of three steps, one target.
  const dag = page.getByTestId("package-dag");
  await expect(dag.locator(".react-flow__node")).toHaveCount(11);
  await expect(dag.locator(".react-flow__node").filter({ hasText: "stripe-webhook" })).toContainText("endpoint · stripe");
  await expect(dag.locator(".react-flow__edge")).toHaveCount(12);
  await expect(page.getByTestId("flow-list")).toContainText("charge-refunded: stripe-webhook → filter: type eq \"charge.refunded\"");

  // Every node stays in view when the window narrows (a tablet turned): the graph refits.
  const outside = () =>
    dag.evaluate((el) => {
      const view = el.getBoundingClientRect();
      return [...el.querySelectorAll(".react-flow__node")].filter((n) => {
        const r = n.getBoundingClientRect();
        return r.left < view.left - 1 || r.right > view.right + 1 || r.top < view.top - 1 || r.bottom > view.bottom + 1;
      }).length;
    });
  await expect.poll(outside).toBe(0);
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 640, height: wide?.height ?? 900 });
  await expect.poll(outside).toBe(0);
  if (wide) await page.setViewportSize(wide);

  await expect(page.getByTestId("fixture-summary")).toHaveText("7/7 match their goldens");
  const fixture = page.getByTestId("fixture-tampered-amount");
  await fixture.locator("summary").click();
  await expect(fixture).toContainText("Matches its golden.");
  await expect(fixture).toContainText("signature");
  // The trace shows where the signature came from, never the secret.
  await expect(fixture).toContainText('"stripe-signature": "[redacted]"');
  await expect(page.locator("body")).not.toContainText("whsec_e2e_org_stripe_secret_0001");
  await expect(page.getByRole("region", { name: "Approval history" })).toContainText("Not approved.");
  await screenshot(page, testInfo, "package-sandbox-validated");

  await page.getByLabel("Note for the approval history (optional)").fill("Checked the refund flow against Stripe's docs");
  await page.getByRole("button", { name: "Approve this digest" }).click();
  await expect(page.getByTestId("version-status")).toHaveText("Approved");
  const history = page.getByTestId("approvals-table");
  await expect(history).toContainText(e2e.admin.email);
  await expect(history).toContainText("Checked the refund flow against Stripe's docs");
  await expect(history).toContainText(stripe.digest.slice(0, 12));
  // Approved but not yet applied: production revalidation is still to come.
  await expect(page.getByTestId("prod-pending")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve this digest" })).toHaveCount(0);
});

test("a draft shows the failing fixture's golden diff and trace, the scan error, and no approval", async ({ page }, testInfo) => {
  await page.goto(`/packages/${sender.id}`);
  await expect(page.getByTestId("version-status")).toHaveText("Draft");
  await expect(page.getByText("A draft cannot be approved")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve this digest" })).toHaveCount(0);

  const failed = page.getByTestId("fixture-contact-created-during-rotation");
  await expect(failed).toHaveAttribute("open", "");
  const diff = page.getByTestId("diff-contact-created-during-rotation");
  await expect(diff.getByRole("row").filter({ hasText: "/status" })).toContainText("200");
  await expect(diff.getByRole("row").filter({ hasText: "/status" })).toContainText("401");
  await expect(failed).toContainText("Signature verification failed");

  await expect(page.getByTestId("scan-table")).toContainText("signature-failed");
  await expect(page.getByTestId("fixture-summary")).toHaveText("6/7 match their goldens");
  await screenshot(page, testInfo, "package-draft");
});

test("a version id the org does not have (the lookup is scoped to the org) is a 404 page", async ({ page }) => {
  const res = await page.goto(`/packages/${randomUUID()}`);
  expect(res?.status()).toBe(404);
  const bad = await page.goto("/packages/not-a-uuid");
  expect(bad?.status()).toBe(404);
});
