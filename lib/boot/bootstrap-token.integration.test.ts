// PROVENANCE_BOOTSTRAP_TOKEN across restarts: each start runs the app's own boot() with
// its configuration against one database, as an operator restarting after changing the
// variable would (issue 11, item 8).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as tokensRoute from "@/app/api/v1/api-tokens/route";
import { boot } from "@/lib/boot";
import { principalFromToken } from "@/lib/auth/authenticate";
import { createDb, prisma, setDb } from "@/lib/db";
import { loadEnv } from "@/lib/env";
import { createTestDatabase } from "@/tests/test-database";

let dropDb: () => Promise<void>;
let ownDb: ReturnType<typeof createDb>;

beforeAll(async () => {
  const t = await createTestDatabase("bootstrap_token");
  dropDb = t.drop;
  ownDb = createDb(t.url, 4);
  setDb(ownDb);
  // The start-up banner is for a terminal, not this test's output.
  vi.spyOn(console, "log").mockImplementation(() => {});
});

afterAll(async () => {
  vi.restoreAllMocks();
  setDb(undefined);
  await ownDb.prisma.$disconnect();
  await ownDb.pool.end();
  await dropDb();
});

const FIRST = "prv_first_bootstrap_0123456789";
const SECOND = "prv_second_bootstrap_9876543210";

/** One start of the app with this configuration (no worker: nothing to deliver here). */
function start(config: Record<string, string>) {
  return boot(loadEnv({ NODE_ENV: "test", PROVENANCE_DEMO: "0", PROVENANCE_WORKER: "0", PROVENANCE_ADMIN_EMAIL: "ops@example.com", PROVENANCE_ADMIN_PASSWORD: "operator password", ...config }));
}

/** Makes a token through the management API, authenticated with `bearer`. */
async function tokenThroughApi(bearer: string, name: string): Promise<string> {
  const res = await tokensRoute.POST(
    new Request("http://localhost/api/v1/api-tokens", {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ name, role: "admin" }),
    }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(201);
  return String(((await res.json()) as { token: string }).token);
}

describe("the bootstrap token across restarts", () => {
  let ciToken: string;
  let namedBootstrap: string;

  it("first start: the configured token is an admin token of the bootstrap org", async () => {
    await start({ PROVENANCE_BOOTSTRAP_ORG: "acme", PROVENANCE_BOOTSTRAP_TOKEN: FIRST });
    expect(await principalFromToken(FIRST)).toMatchObject({ kind: "token", orgSlug: "acme", role: "admin" });
    ciToken = await tokenThroughApi(FIRST, "ci");
    // Even a token an operator happens to call "bootstrap" was made through the API.
    namedBootstrap = await tokenThroughApi(FIRST, "bootstrap");
  });

  it("a restart with the same value keeps it", async () => {
    await start({ PROVENANCE_BOOTSTRAP_ORG: "acme", PROVENANCE_BOOTSTRAP_TOKEN: FIRST });
    expect(await principalFromToken(FIRST)).toMatchObject({ orgSlug: "acme" });
  });

  it("a restart with a changed value: the old token stops working, the new one works, API-made tokens stay", async () => {
    await start({ PROVENANCE_BOOTSTRAP_ORG: "acme", PROVENANCE_BOOTSTRAP_TOKEN: SECOND });
    expect(await principalFromToken(FIRST)).toBeNull();
    expect(await principalFromToken(SECOND)).toMatchObject({ orgSlug: "acme", role: "admin" });
    expect(await principalFromToken(ciToken)).toMatchObject({ orgSlug: "acme" });
    expect(await principalFromToken(namedBootstrap)).toMatchObject({ orgSlug: "acme" });
    expect(await prisma().apiToken.count({ where: { bootstrap: true } })).toBe(1);
  });

  it("a restart with the variable removed: no bootstrap token is valid, API-made tokens stay", async () => {
    await start({});
    expect(await principalFromToken(SECOND)).toBeNull();
    expect(await principalFromToken(ciToken)).toMatchObject({ orgSlug: "acme" });
    expect(await principalFromToken(namedBootstrap)).toMatchObject({ orgSlug: "acme" });
  });

  it("configuring the old value again makes it valid again (the variable decides)", async () => {
    await start({ PROVENANCE_BOOTSTRAP_ORG: "acme", PROVENANCE_BOOTSTRAP_TOKEN: FIRST });
    expect(await principalFromToken(FIRST)).toMatchObject({ orgSlug: "acme" });
    expect(await principalFromToken(SECOND)).toBeNull();
  });
});
