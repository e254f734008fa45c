// Rotating a source's secret in the console keeps every other verification setting
// (issue 11, item 6): the form used to send `{ preset, secret }`, which replaced the
// settings and silently dropped a custom header, prefix, algorithm, encoding,
// timestampField and replayTolerance. Each source is made through the API, edited in
// the browser, read back through the API and checked with a real signed webhook.
import { createHmac, randomBytes } from "node:crypto";
import { E2E_ORG, api, e2e, expect, screenshot, stripeHeaders, test } from "../fixtures";

const tag = randomBytes(3).toString("hex");

type Source = { id: string; title: string; verification: Record<string, unknown> & { secretHint: string } };

const HMAC_SETTINGS = {
  preset: "hmac",
  header: "X-Acme-Signature",
  prefix: "sha256=",
  algorithm: "sha512",
  encoding: "base64",
  timestampField: "sent_at",
  replayTolerance: 120,
};

/** Headers of a webhook signed the way HMAC_SETTINGS verify it. */
function acmeHeaders(body: string, secret: string): Record<string, string> {
  return { "x-acme-signature": `sha256=${createHmac("sha512", secret).update(body).digest("base64")}`, "content-type": "application/json" };
}

const readSource = async (request: Parameters<typeof api>[0], id: string) => api<Source>(request, "get", `/api/v1/inbound-sources/${id}`);

test("rotating an hmac source's secret keeps its header, prefix, algorithm, encoding, timestamp field and tolerance", async ({ page, request }, testInfo) => {
  const first = `acme-first-secret-${tag}`;
  const second = `acme-second-secret-${tag}`;
  const created = await api<Source>(request, "post", "/api/v1/inbound-sources", {
    title: `Acme ${tag}`,
    mnemonic: `acme_${tag}`,
    verification: { ...HMAC_SETTINGS, secret: first },
  });

  await page.goto(`/sources/${created.id}/edit`);
  const form = page.getByRole("form", { name: "Edit source" });
  // The stored settings are shown, so the operator sees what is kept.
  await expect(form.getByLabel(/^Signature header/)).toHaveValue("X-Acme-Signature");
  await expect(form.getByLabel(/^Signature prefix/)).toHaveValue("sha256=");
  await expect(form.getByLabel("Algorithm")).toHaveValue("sha512");
  await expect(form.getByLabel("Encoding")).toHaveValue("base64");
  await expect(form.getByLabel(/^Timestamp field/)).toHaveValue("sent_at");
  await expect(form.getByLabel(/^Replay tolerance/)).toHaveValue("120");
  await form.getByLabel(/^Secret \(stored: …/).fill(second);
  await screenshot(page, testInfo, "source-rotate-hmac");
  await form.getByRole("button", { name: "Save source" }).click();
  await expect(page.getByTestId("verification-table")).toContainText(`…${second.slice(-4)}`);

  const after = await readSource(request, created.id);
  expect(after.verification).toEqual({ ...HMAC_SETTINGS, secretHint: `…${second.slice(-4)}` });

  // The webhook proves it: the new secret with the kept header, prefix, algorithm and
  // encoding is accepted; the old secret is not; a stale sent_at is still "too old".
  const url = `/api/inbound/${E2E_ORG}/by-mnemonic/acme_${tag}?sync=true`;
  const now = Math.floor(Date.now() / 1000);
  const fresh = JSON.stringify({ id: `evt_${tag}_1`, sent_at: now });
  expect((await request.post(url, { headers: acmeHeaders(fresh, second), data: fresh })).status()).toBe(200);
  expect((await request.post(url, { headers: acmeHeaders(fresh, first), data: fresh })).status()).toBe(401);
  const stale = JSON.stringify({ id: `evt_${tag}_2`, sent_at: now - 600 });
  const old = await request.post(url, { headers: acmeHeaders(stale, second), data: stale });
  expect(old.status()).toBe(401);
  expect(await old.json()).toMatchObject({ error: "Event too old" });
});

test("rotating a stripe source's secret keeps its own replay tolerance; a rename leaves verification alone", async ({ page, request }) => {
  const first = `whsec_stripe_first_${tag}`;
  const second = `whsec_stripe_second_${tag}`;
  const created = await api<Source>(request, "post", "/api/v1/inbound-sources", {
    title: `Stripe ${tag}`,
    mnemonic: `stripe_keep_${tag}`,
    verification: { preset: "stripe", secret: first, replayTolerance: 900 },
  });
  const stored = (await readSource(request, created.id)).verification;
  expect(stored.replayTolerance).toBe(900);

  await page.goto(`/sources/${created.id}/edit`);
  const form = page.getByRole("form", { name: "Edit source" });
  await expect(form.getByLabel(/^Replay tolerance/)).toHaveValue("900");
  await form.getByLabel(/^Secret \(stored: …/).fill(second);
  await form.getByRole("button", { name: "Save source" }).click();
  await expect(page.getByTestId("verification-table")).toContainText(`…${second.slice(-4)}`);
  expect((await readSource(request, created.id)).verification).toEqual({ ...stored, secretHint: `…${second.slice(-4)}` });

  await page.goto(`/sources/${created.id}/edit`);
  await form.getByLabel("Title").fill(`Stripe renamed ${tag}`);
  await form.getByRole("button", { name: "Save source" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Stripe renamed ${tag}`), level: 1 })).toBeVisible();
  const renamed = await readSource(request, created.id);
  expect(renamed.verification).toEqual({ ...stored, secretHint: `…${second.slice(-4)}` });

  // A Stripe event signed 10 minutes ago is inside the kept 900 s (outside the default 300 s).
  const body = JSON.stringify({ id: `evt_${tag}_s` });
  const t = Math.floor(Date.now() / 1000) - 600;
  const headers = { ...stripeHeaders(body, second), "stripe-signature": `t=${t},v1=${createHmac("sha256", second).update(`${t}.${body}`).digest("hex")}` };
  const res = await request.post(`${e2e.baseUrl}/api/inbound/${E2E_ORG}/by-mnemonic/stripe_keep_${tag}?sync=true`, { headers, data: body });
  expect(res.status(), await res.text()).toBe(200);
});
