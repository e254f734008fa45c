// Signing in and out through the pages, as an operator would.
import { E2E_ORG, e2e, expect, screenshot, test } from "../fixtures";

// Every test here starts signed out.
test.use({ storageState: { cookies: [], origins: [] } });

test("a signed-out visit to / lands on the sign-in page", async ({ page, baseURL }) => {
  await page.goto("/");
  await expect(page).toHaveURL(`${baseURL}/login`);
  await expect(page.getByRole("heading", { name: "Sign in to Provenance" })).toBeVisible();
  await expect(page).toHaveTitle("Sign in · Provenance");
});

test("a wrong password shows an error and stays on the sign-in page", async ({ page, baseURL }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(e2e.admin.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Invalid email or password.");
  await expect(page).toHaveURL(`${baseURL}/login`);
  // The form is usable again, with the password ready to be retyped.
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await expect(page.getByLabel("Password")).toBeFocused();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  expect((await page.context().cookies()).some((c) => c.name === "provenance_session")).toBe(false);
});

test("signing in lands on the home page showing the admin and the org", async ({ page, baseURL }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(e2e.admin.email);
  await page.getByLabel("Password").fill(e2e.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  const banner = page.getByRole("banner");
  await expect(banner.getByTestId("user-email")).toHaveText(e2e.admin.email);
  await expect(banner.getByTestId("user-role")).toHaveText("admin");
  await expect(banner).toContainText(E2E_ORG);
  const cookie = (await page.context().cookies()).find((c) => c.name === "provenance_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
});

test("?next= is followed to a page of this site and ignored when it points elsewhere", async ({ page, baseURL }) => {
  const signIn = async () => {
    await page.getByLabel("Email").fill(e2e.admin.email);
    await page.getByLabel("Password").fill(e2e.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  // The last three only become "//evil.example" once their dot segments are resolved.
  for (const next of ["//evil.example/steal", "/.//evil.example", "/a/..//evil.example", "/%2e//evil.example"]) {
    await page.context().clearCookies();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await signIn();
    await expect(page, next).toHaveURL(`${baseURL}/`);
  }

  await page.context().clearCookies();
  await page.goto(`/login?next=${encodeURIComponent("/?from=next")}`);
  await signIn();
  await expect(page).toHaveURL(`${baseURL}/?from=next`);
  await expect(page.getByTestId("user-email")).toHaveText(e2e.admin.email);
});

test("signing out ends the session and / asks for sign-in again", async ({ page, baseURL }) => {
  // Its own session, so the shared one of the other ui tests stays valid.
  const res = await page.request.post("/api/auth/login", {
    data: e2e.admin,
    headers: { origin: e2e.baseUrl },
  });
  expect(res.status()).toBe(200);
  await page.goto("/");
  await expect(page.getByTestId("user-email")).toHaveText(e2e.admin.email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${baseURL}/login`);
  await expect(page.getByRole("heading", { name: "Sign in to Provenance" })).toBeVisible();
  expect((await page.context().cookies()).some((c) => c.name === "provenance_session" && c.value !== "")).toBe(false);

  await page.goto("/");
  await expect(page).toHaveURL(`${baseURL}/login`);
  expect((await page.request.get("/api/auth/me")).status()).toBe(401);
});

test("screenshots of the sign-in page", async ({ page }, testInfo) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await screenshot(page, testInfo, "login-1280");
  await page.setViewportSize({ width: 375, height: 740 });
  await screenshot(page, testInfo, "login-375");
  await page.getByLabel("Email").fill("someone@example.com");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await screenshot(page, testInfo, "login-375-error");
});
