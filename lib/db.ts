// One pg pool and one Prisma client per process, shared by the app, the worker and
// the pipeline's store adapters. With the embedded PGlite database the pool is kept at
// one connection: PGlite is a single session.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

type Db = { pool: pg.Pool; prisma: PrismaClient };

const holder = globalThis as unknown as { __provenanceDb?: Db };

export function createDb(connectionString: string, max: number): Db {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
}

export function db(): Db {
  if (!holder.__provenanceDb) {
    const e = env();
    if (!e.databaseUrl) {
      throw new Error("DATABASE_URL is not set (start the app with `npm start`, which provides the embedded database)");
    }
    holder.__provenanceDb = createDb(e.databaseUrl, e.embedded ? 1 : e.PROVENANCE_DB_POOL_MAX);
  }
  return holder.__provenanceDb;
}

export function prisma(): PrismaClient {
  return db().prisma;
}

/** For tests: use a specific database instead of the env-configured one. */
export function setDb(value: Db | undefined): void {
  holder.__provenanceDb = value;
}
