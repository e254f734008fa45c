import { defineConfig } from "vitest/config";
import path from "node:path";

// Three tiers, named by suffix: pure unit tests beside the code, integration tests
// against a throwaway PostgreSQL database created and migrated in global setup, and
// system tests that start the BUILT app (`npm run build` first) as a process, each file
// on its own throwaway database, to kill it, flood it and watch deliveries.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{lib,providerflow,app,components,scripts}/**/*.test.ts", "sdk/typescript/test/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["{lib,providerflow,app,tests}/**/*.integration.test.ts"],
          globalSetup: ["tests/global-setup.ts"],
          setupFiles: ["tests/setup-integration.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "system",
          include: ["tests/system/**/*.system.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One app at a time: they are whole servers competing for two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
