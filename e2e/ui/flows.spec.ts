// Building a flow in the browser: a Stripe package from the template, a broken YAML
// marked at its line, fixed, the live DAG following the edit, fixtures run (one golden
// failing, then updated), saved, planned, applied, and a real signed webhook through what
// was applied. The editor loads without a single request leaving the app's origin.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { api, e2e, expect, screenshot, stripeHeaders, test } from "../fixtures";

// One test, in steps: the draft lives in the browser's storage, which each test's fresh
// context would not have.

const name = `pay-${randomBytes(3).toString("hex")}`;
const STRIPE_SECRET = "whsec_e2e_flows_editor_secret_0001";

/** Replaces the editor's whole text as a user would: select all, paste (typing would auto-indent). */
async function setEditorText(page: Page, text: string) {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(e2e.baseUrl).origin });
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.getByTestId("code-editor").locator(".monaco-editor textarea").focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("ControlOrMeta+v");
  await expect.poll(() => page.evaluate(() => document.querySelector(".monaco-editor .view-lines")?.textContent?.length ?? 0)).toBeGreaterThan(0);
}


test.beforeAll(async ({ request }) => {
  await api(request, "put", "/api/v1/secrets/STRIPE_WEBHOOK_SECRET", { value: STRIPE_SECRET });
});

test("a Stripe package from the template to a webhook through what was applied, in the browser", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(240_000);
  await test.step("creates a Stripe package from the template; the editor loads from the app's origin only", async () => {
    const origin = new URL(e2e.baseUrl).origin;
    const elsewhere: string[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (!["data:", "blob:"].includes(url.protocol) && url.origin !== origin) elsewhere.push(r.url());
    });
    await page.goto("/");
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Flows" }).click();
    const form = page.getByRole("form", { name: "New package" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Provider").selectOption("stripe");
    await form.getByRole("button", { name: "Create and edit" }).click();
    await expect(page).toHaveURL(new RegExp(`/flows/${name}$`));
    await expect(page.getByTestId("code-editor")).toHaveAttribute("data-loaded", "true");
    await expect(page.locator(".monaco-editor .view-lines")).toContainText("preset: stripe");
    // The live DAG: endpoint → filter → map → target.
    const dag = page.locator(".flow-dag .react-flow");
    await expect(dag.locator(".react-flow__node")).toHaveCount(4);
    await page.waitForTimeout(500); // workers start after the first paint
    expect(elsewhere).toEqual([]);
    await screenshot(page, testInfo, "flow-editor-new");
  });

  await test.step("a broken YAML is marked at its line, fixing it clears the marker, and the DAG follows the edit", async () => {
    await page.reload();
    await expect(page.getByTestId("code-editor")).toHaveAttribute("data-loaded", "true");
    // The draft survived the navigation (this browser's storage).
    const original = await page.evaluate(
      (n) => JSON.parse(localStorage.getItem(`provenance:flow-draft:e2e:${n}`) ?? "{}").files["provider-flow.yaml"] as string,
      name,
    );
    expect(original).toContain(`name: ${name}`);

    const broken = original.replace("    target: destination\n", "    target: destination\n    retries: 3\n");
    const line = broken.split("\n").findIndex((l) => l.includes("retries: 3")) + 1;
    await setEditorText(page, broken);
    await page.getByRole("button", { name: "Validate" }).click();
    const findings = page.getByTestId("findings");
    await expect(findings).toContainText("unknown-key");
    await expect(findings.getByRole("button", { name: `provider-flow.yaml:${line}:5` })).toBeVisible();
    // Monaco draws the server's marker on that line (a squiggle in the line's decorations).
    await expect(page.locator(".monaco-editor .squiggly-error").first()).toBeVisible();
    await screenshot(page, testInfo, "flow-editor-marker");

    // A second filter: the DAG grows by one node while typing, before any save.
    const fixed = original.replace(
      "      - map:\n",
      "      - filter: { all: [ { path: data.object.object, op: eq, value: payment_intent } ] }\n      - map:\n",
    );
    await setEditorText(page, fixed);
    await expect(page.locator(".flow-dag .react-flow__node")).toHaveCount(5);
    await expect(page.getByTestId("live-flows")).toContainText("events: webhook → 3 steps → destination");
    await page.getByRole("button", { name: "Validate" }).click();
    await expect(page.getByTestId("findings-summary")).toHaveText("No errors, no warnings.");
    await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(0);

    // Selecting a node in the DAG reveals its lines.
    await page.locator('.flow-dag .react-flow__node[data-id="target:destination"]').click();
    await expect(page.locator(".monaco-editor .view-lines")).toContainText("url: https://example.com/webhooks/payments");
  });

  await test.step("fixtures: a failing golden with its diff, then updated goldens pass; save, plan and apply; a signed webhook goes through", async () => {
    await page.reload();
    await expect(page.getByTestId("code-editor")).toHaveAttribute("data-loaded", "true");
    const current = await page.evaluate(
      (n) => JSON.parse(localStorage.getItem(`provenance:flow-draft:e2e:${n}`) ?? "{}").files["provider-flow.yaml"] as string,
      name,
    );
    // A new field in the interaction: the handled fixture's golden no longer matches.
    await setEditorText(
      page,
      current.replace("customer: data.object.customer }", "customer: data.object.customer, kind: data.object.object }"),
    );
    await page.getByRole("button", { name: "Run fixtures" }).click();
    await expect(page.getByTestId("fixtures-summary")).toHaveText("1/2 match their goldens");
    const handled = page.getByTestId("run-fixture-handled");
    await expect(handled).toContainText("/interaction/object/kind");
    await screenshot(page, testInfo, "flow-editor-golden-diff");

    await page.getByRole("button", { name: "Update goldens" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Update goldens" }).click();
    await expect(page.getByTestId("fixtures-summary")).toHaveText("2/2 match their goldens");

    await page.getByRole("button", { name: "Save version" }).click();
    const versionPanel = page.getByTestId("version");
    await expect(versionPanel).toContainText("sandbox-validated");
    await page.getByRole("button", { name: "Plan" }).click();
    await expect(page.getByTestId("plan")).toContainText("create");

    // Production org: a version must be approved by someone other than its uploader. The
    // editor offers the admin the approval, and the API's refusal is shown in place.
    await versionPanel.getByLabel("Note for the approval history (optional)").fill("my own work");
    await versionPanel.getByRole("button", { name: "Approve this digest" }).click();
    await expect(versionPanel.getByTestId("form-problem")).toContainText("Separation of duties: this version was uploaded by");
    await expect(versionPanel).toContainText("sandbox-validated");
    const saved = await versionPanel.getByRole("link", { name: "Evidence and approval" }).getAttribute("href");
    const versionId = saved?.split("/").pop() ?? "";
    await api(request, "post", `/api/v1/providerflow/versions/${versionId}/approve`, { note: "e2e: reviewed" });
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Apply" }).click();
    // Applying refreshes the version panel: approved (by the token, with its note), revalidated.
    await expect(versionPanel).toContainText("e2e: reviewed");
    await expect(versionPanel.getByText(/^prod-revalidated$|^approved$/)).toBeVisible();
    const applied = page.getByTestId("applied");
    await expect(applied).toContainText("webhook:");
    const inboundUrl = (await applied.locator("code").first().textContent()) ?? "";
    await screenshot(page, testInfo, "flow-editor-applied");

    const body = JSON.stringify({
      id: `evt_e2e_${randomBytes(4).toString("hex")}`,
      object: "event",
      type: "payment_intent.succeeded",
      data: { object: { id: "pi_e2e_1", object: "payment_intent", amount: 1200, currency: "eur", customer: "cus_e2e" } },
    });
    const res = await request.post(`${new URL(inboundUrl).pathname}?sync=true`, {
      headers: stripeHeaders(body, STRIPE_SECRET),
      data: body,
    });
    expect(res.status(), await res.text()).toBe(200);
    const result = (await res.json()) as { interactionId?: string };
    expect(result.interactionId).toBeTruthy();

    // The topology shows what the package applied, boxed under it, with the event counted.
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Topology" }).click();
    const topology = page.getByTestId("topology");
    await expect(topology.getByText(`package ${name}`)).toBeVisible();
    await expect(topology.getByText(`managed by ${name}`).first()).toBeVisible();
    await expect(page.getByTestId("topology-list")).toContainText("events in the last hour 1");
    await screenshot(page, testInfo, "topology");

    // The applied source is marked where it appears, and editing it warns about the next apply.
    await page.goto("/sources");
    const row = page.getByTestId("sources-table").getByRole("row").filter({ hasText: `managed by ${name}` });
    await expect(row).toHaveCount(1);
    await row.locator("a.cell-title").click();
    await expect(page.getByRole("heading", { level: 1 }).getByRole("link", { name: `managed by ${name}` })).toBeVisible();
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await expect(page.getByTestId("managed-warning")).toContainText(`managed by the ProviderFlow package ${name}`);
  });
});
