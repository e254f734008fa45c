import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", "lib/generated/**", ".data/**", "test-results/**", "test-reports/**", "playwright-report/**", "next-env.d.ts", "sdk/typescript/dist/**", "sdk/java/build/**", "providerflow/cli/dist/**"]),
]);
