// What every e2e spec imports instead of @playwright/test: the server global setup
// started (baseURL) and the accounts it configured.
import path from "node:path";
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";

export { ADMIN_STORAGE_STATE, E2E_ORG } from "./constants";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`npx playwright test\` so e2e/global-setup.ts starts the app`);
  return value;
}

export const e2e = {
  get baseUrl() {
    return required("E2E_BASE_URL");
  },
  get admin() {
    return { email: required("E2E_ADMIN_EMAIL"), password: required("E2E_ADMIN_PASSWORD") };
  },
  get bootstrapToken() {
    return required("E2E_BOOTSTRAP_TOKEN");
  },
};

export const test = base.extend({
  // The port is chosen at run time, so baseURL cannot live in playwright.config.ts.
  // (`provide`, not `use`: the React hooks lint rule would take it for React's `use`.)
  baseURL: async ({}, provide) => {
    await provide(e2e.baseUrl);
  },
});

export { expect };

/** Saves a full-page screenshot under test-results/screenshots/ and attaches it to the report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const file = path.join(testInfo.project.outputDir, "screenshots", `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
  return file;
}
