// Signs the admin in once through the sign-in page and keeps the cookies for the ui project.
import { ADMIN_STORAGE_STATE, E2E_ORG, e2e, expect, test as setup } from "./fixtures";

setup("sign in as the admin", async ({ page, baseURL }) => {
  const { email, password } = e2e.admin;
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await expect(page.getByRole("banner")).toContainText(E2E_ORG);
  await page.context().storageState({ path: ADMIN_STORAGE_STATE });
});
