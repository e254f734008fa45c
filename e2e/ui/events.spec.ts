// The operator's view of traffic: events (filters, one event's stages, redacted headers
// and body, replay) and interactions (the mapped object and its deliveries with every
// attempt). Everything is made through the management API and real signed webhooks.
import { randomBytes, randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { E2E_ORG, api, expect, screenshot, stripeHeaders, test } from "../fixtures";

const SECRET = "whsec_e2e_events_secret_0001";

/** Reloads until `check` passes: the worker's work is asynchronous. */
async function eventually(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 20_000 });
}

test.describe.configure({ mode: "serial" });

const tag = randomBytes(3).toString("hex");
let sourceId: string;
let goodEventId: string;
let interactionId: string;
let badEventId: string;

test.beforeAll(async ({ request }) => {
  const source = await api(request, "post", "/api/v1/inbound-sources", {
    title: `Payments ${tag}`,
    mnemonic: `pay_${tag}`,
    verification: { preset: "stripe", secret: SECRET },
  });
  sourceId = source.id;
  const mapping = await api(request, "post", "/api/v1/inbound-mappings", {
    sourceId,
    title: "Payment succeeded",
    resourceType: "payment",
    action: "succeeded",
    conditions: [{ path: "type", op: "eq", value: "payment_intent.succeeded" }],
    idempotencyPath: "id",
    resourceIdPath: "data.object.id",
    fieldMappings: { amount: "data.object.amount", currency: "data.object.currency" },
  });
  // A target whose host never resolves (.invalid): its delivery records failed attempts.
  const target = await api(request, "post", "/api/v1/targets", { name: `ledger-${tag}`, url: `https://ledger-${tag}.invalid/hooks` });
  await api(request, "post", "/api/v1/routes", { mappingId: mapping.id, targetId: target.id });

  const url = `/api/inbound/${E2E_ORG}/by-mnemonic/pay_${tag}?sync=true`;
  const good = JSON.stringify({ id: `evt_${tag}`, type: "payment_intent.succeeded", data: { object: { id: `pi_${tag}`, amount: 4200, currency: "eur" } } });
  const ok = await request.post(url, { headers: stripeHeaders(good, SECRET), data: good });
  expect(ok.status(), await ok.text()).toBe(200);
  const okBody = (await ok.json()) as { interactionId: string };
  interactionId = okBody.interactionId;
  const forged = JSON.stringify({ id: `evt_forged_${tag}`, type: "payment_intent.succeeded", data: { object: { id: "pi_x", amount: 1 } } });
  const refused = await request.post(url, { headers: stripeHeaders(forged, "whsec_not_the_secret"), data: forged });
  expect(refused.status()).toBe(401);
  badEventId = ((await refused.json()) as { eventId: string }).eventId;
  const interaction = await api<{ eventId: string }>(request, "get", `/api/v1/interactions/${interactionId}`);
  goodEventId = interaction.eventId;
});

test("the events list filters by status and source, and opens a refused event with its stages, redacted headers and body", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Events" }).click();
  const form = page.getByRole("form", { name: "Filter events" });
  await form.getByLabel("Status").selectOption("failed");
  await form.getByLabel("Source").selectOption(sourceId);
  await form.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=failed/);
  const rows = page.getByTestId("events-table").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Signature verification failed");
  await expect(rows.first()).toContainText(badEventId);
  await screenshot(page, testInfo, "events-filtered");

  await rows.first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/events/${badEventId}$`));
  await expect(page.getByTestId("event-status")).toHaveText("failed");
  await expect(page.getByTestId("event-stages")).toContainText("signature — Signature verification failed");
  await expect(page.getByTestId("event-headers").getByRole("row").filter({ hasText: "stripe-signature" })).toContainText("[redacted]");
  await expect(page.getByTestId("event-body")).toContainText(`"id": "evt_forged_${tag}"`);
  // A refused event never passed verification: replaying it would skip the check.
  await expect(page.getByRole("button", { name: "Replay" })).toHaveCount(0);
  await expect(page.getByText('Not replayable: The event failed at stage "signature"')).toBeVisible();
});

test("a processed event links its interaction, and Replay queues a new event that points back at it", async ({ page }, testInfo) => {
  await page.goto(`/events/${goodEventId}`);
  await expect(page.getByTestId("event-status")).toHaveText("processed");
  await expect(page.getByRole("link", { name: interactionId })).toBeVisible();
  await page.getByRole("button", { name: "Replay" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/events/${goodEventId}$`));
  await expect(page.getByText("A replay of")).toBeVisible();
  await expect(page.getByRole("link", { name: goodEventId })).toBeVisible();
  // Same idempotency key: the replay is recorded as a duplicate of the interaction.
  await eventually(page, async () => {
    await expect(page.getByTestId("event-status")).toHaveText("duplicate", { timeout: 1_000 });
  });
  await screenshot(page, testInfo, "event-replayed");
});

test("an interaction shows its object and its delivery's attempts", async ({ page }, testInfo) => {
  await page.goto("/interactions?resourceType=payment");
  await page.getByTestId("interactions-table").locator("tbody tr").filter({ hasText: `pi_${tag}` }).getByRole("link").click();
  await expect(page.getByRole("heading", { name: "payment succeeded", level: 1 })).toBeVisible();
  await expect(page.getByTestId("interaction-object")).toContainText('"amount": 4200');
  await expect(page.getByRole("link", { name: goodEventId })).toBeVisible();
  const delivery = page.getByTestId("deliveries-table").locator("tbody tr").filter({ hasText: `ledger-${tag}` });
  await expect(delivery).toHaveCount(1);
  // The host does not resolve, so the first attempt fails and another is scheduled.
  await eventually(page, async () => {
    await expect(delivery.locator("ol.attempts li").first()).toContainText("no response", { timeout: 1_000 });
  });
  await expect(delivery).toContainText("failed");
  await screenshot(page, testInfo, "interaction-deliveries");
});

test("a hand-edited bad filter is a message, and an unknown event or interaction is a 404", async ({ page }) => {
  await page.goto("/events?status=bogus");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This filter is not valid (status: must be one of");
  await page.goto("/interactions?cursor=garbage");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Invalid cursor");
  expect((await page.goto(`/events/${randomUUID()}`))?.status()).toBe(404);
  expect((await page.goto(`/interactions/${randomUUID()}`))?.status()).toBe(404);
});
