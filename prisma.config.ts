// Prisma CLI configuration. Only `prisma generate` runs here (see README: the schema
// engine cannot be downloaded, so migrations are hand-written SQL applied by the app).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/provenance" },
});
