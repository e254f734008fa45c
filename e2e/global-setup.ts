// Starts the built app against a throwaway PostgreSQL database for the e2e run, and
// returns the teardown that stops it and drops the database. Tests find the server and
// its credentials in E2E_* environment variables (see e2e/fixtures.ts).
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { startApp, type AppServer } from "../tests/app-server.mjs";
import { createTestDatabase } from "../tests/test-database";
import { E2E_ORG } from "./constants";

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const root = config.configFile ? path.dirname(config.configFile) : process.cwd();
  const database = await createTestDatabase("e2e");
  const admin = { email: "admin@e2e.example.com", password: `e2e-${randomBytes(12).toString("base64url")}` };
  const bootstrapToken = `prv_e2e_${randomBytes(24).toString("base64url")}`;

  // The server's output, for reading after a failed run (the output dir is cleared at the start of the next one).
  const saveLog = async (output: string) => {
    const dir = path.join(root, "test-results");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "e2e-server.log"), output);
  };

  let app: AppServer;
  try {
    app = await startApp({
      root,
      databaseUrl: database.url,
      secrets: [admin.password, bootstrapToken],
      env: {
        PROVENANCE_ALLOW_SYNC: "1",
        PROVENANCE_ADMIN_EMAIL: admin.email,
        PROVENANCE_ADMIN_PASSWORD: admin.password,
        PROVENANCE_BOOTSTRAP_ORG: E2E_ORG,
        PROVENANCE_BOOTSTRAP_TOKEN: bootstrapToken,
      },
    });
  } catch (error) {
    const output = (error as { serverOutput?: string }).serverOutput;
    if (output !== undefined) await saveLog(output);
    if (process.env.KEEP_E2E_DB !== "1") await database.drop();
    throw error;
  }

  process.env.E2E_BASE_URL = app.baseUrl;
  process.env.E2E_ADMIN_EMAIL = admin.email;
  process.env.E2E_ADMIN_PASSWORD = admin.password;
  process.env.E2E_BOOTSTRAP_TOKEN = bootstrapToken;
  process.env.E2E_DATABASE_URL = database.url;
  return async () => {
    await app.stop();
    await saveLog(app.output());
    if (process.env.KEEP_E2E_DB !== "1") await database.drop();
  };
}
