// Shared by the config, global setup and specs; no Playwright imports here.
import path from "node:path";

export const E2E_ORG = "e2e";
/** Where the setup project leaves the signed-in admin's cookies for the ui project. */
export const ADMIN_STORAGE_STATE = path.join(import.meta.dirname, "..", "test-results", ".auth", "admin.json");
/** Debian's Chromium: Playwright's own browser download is not available here. */
export const CHROMIUM_PATH = "/usr/bin/chromium";
