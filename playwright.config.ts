// End-to-end tests against the built app (`npm run build` first). e2e/global-setup.ts
// starts it on a free port with a throwaway database; the setup project signs in once.
import { defineConfig, devices } from "@playwright/test";
import { ADMIN_STORAGE_STATE, CHROMIUM_PATH } from "./e2e/constants";

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    ...devices["Desktop Chrome"],
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-quic",
      ],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts$/ },
    {
      name: "ui",
      testDir: "./e2e/ui",
      dependencies: ["setup"],
      use: { storageState: ADMIN_STORAGE_STATE },
    },
    { name: "api", testDir: "./e2e/api" },
  ],
});
