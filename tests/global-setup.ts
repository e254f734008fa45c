import type { TestProject } from "vitest/node";
import { createTestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dbh = await createTestDatabase("it");
  project.provide("databaseUrl", dbh.url);
  return async () => {
    if (process.env.KEEP_TEST_DB !== "1") await dbh.drop();
  };
}
