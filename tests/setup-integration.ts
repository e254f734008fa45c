// Points the app's env (read lazily by lib/env.ts) at this run's throwaway database.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");

process.env.PROVENANCE_LOG_LEVEL ??= "silent";
process.env.PROVENANCE_WORKER = "0";
