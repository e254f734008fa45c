// Points the app's env (read lazily by lib/env.ts) at this run's throwaway database.
import { inject } from "vitest";
import { TEST_SECRET_KEY } from "./app-server.mjs";

process.env.DATABASE_URL = inject("databaseUrl");

process.env.PROVENANCE_LOG_LEVEL ??= "silent";
process.env.PROVENANCE_WORKER = "0";
// Secrets are stored sealed under this key (lib/store/secret-values.ts).
process.env.PROVENANCE_SECRET_KEY = TEST_SECRET_KEY;
delete process.env.PROVENANCE_SECRET_KEY_PREVIOUS;
