// No secret in any response, stored event or log line: a source secret, a bearer token
// and a provider signature are pushed through every path a user can reach, including
// failures, while every log line of the process is captured.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { log, tapLogs } from "@/lib/log";
import * as sources from "@/app/api/v1/inbound-sources/route";
import * as source from "@/app/api/v1/inbound-sources/[id]/route";
import * as mappings from "@/app/api/v1/inbound-mappings/route";
import * as mappingTest from "@/app/api/v1/inbound-mappings/[id]/test/route";
import * as events from "@/app/api/v1/events/route";
import * as eventById from "@/app/api/v1/events/[id]/route";
import * as replay from "@/app/api/v1/events/[id]/replay/route";
import * as openapi from "@/app/api/openapi.json/route";
import { call, createOrgWithToken } from "./helpers/fixtures";
import { postInbound } from "./helpers/pipeline-fixtures";

const SECRET = "shhh-source-secret-7d1f0c9a2b";
const lines: string[] = [];
let untap: () => void;
let previousLevel: string;

beforeAll(() => {
  previousLevel = log.level;
  log.level = "trace";
  untap = tapLogs((line) => lines.push(line));
});

afterAll(async () => {
  untap();
  log.level = previousLevel;
  await prisma().$disconnect();
});

describe("secrets never leak", () => {
  it("in responses, stored events or log lines, across success and failure paths", async () => {
    const { org, token } = await createOrgWithToken("admin");
    const seen: string[] = [];
    const record = <T extends { text: string }>(r: T): T => (seen.push(r.text), r);

    const created = record(
      await call(sources.POST, "POST", "/api/v1/inbound-sources", {
        token,
        body: { title: "GitHub", mnemonic: "gh", verification: { preset: "github", secret: SECRET } },
      }),
    );
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    expect((created.json as { verification: { secretHint: string } }).verification.secretHint).toBe("…9a2b");
    record(await call(sources.GET, "GET", "/api/v1/inbound-sources", { token }));
    record(await call(source.GET, "GET", `/api/v1/inbound-sources/${id}`, { token, params: { id } }));
    record(await call(source.PATCH, "PATCH", `/api/v1/inbound-sources/${id}`, { token, params: { id }, body: { title: "GitHub 2" } }));
    // A bad PATCH whose body carries the secret: the 400 must not echo it.
    record(
      await call(source.PATCH, "PATCH", `/api/v1/inbound-sources/${id}`, {
        token,
        params: { id },
        body: { verification: { preset: "standard-webhooks", secret: SECRET } },
      }),
    );
    const mapping = record(
      await call(mappings.POST, "POST", "/api/v1/inbound-mappings", {
        token,
        body: { sourceId: id, resourceType: "repository", action: "pushed", resourceIdPath: "repository.full_name" },
      }),
    );
    const mappingId = (mapping.json as { id: string }).id;

    const body = JSON.stringify({ repository: { full_name: "acme/app" } });
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const ok = await postInbound(org.slug, { id }, body, { "x-hub-signature-256": signature, authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    const bad = await postInbound(org.slug, { id }, body, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` });
    expect(bad.status).toBe(401);
    seen.push(JSON.stringify(ok.body), JSON.stringify(bad.body));

    const list = record(await call(events.GET, "GET", "/api/v1/events", { token }));
    for (const ev of (list.json as { data: { id: string }[] }).data) {
      record(await call(eventById.GET, "GET", `/api/v1/events/${ev.id}`, { token, params: { id: ev.id } }));
      record(await call(replay.POST, "POST", `/api/v1/events/${ev.id}/replay`, { token, params: { id: ev.id } }));
    }
    record(await call(mappingTest.POST, "POST", `/api/v1/inbound-mappings/${mappingId}/test`, { token, params: { id: mappingId }, body: { payload: JSON.parse(body) } }));
    record(await call(openapi.GET, "GET", "/api/openapi.json"));
    // An unauthorized call with the token in a wrong place must not log it either.
    record(await call(sources.GET, "GET", "/api/v1/inbound-sources", { headers: { authorization: `Token ${token}` } }));

    const stored = await prisma().inboundEvent.findMany({ where: { orgId: org.id } });
    const storedText = JSON.stringify(stored.map((e) => e.headers));
    for (const text of [...seen, storedText, ...lines]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(token);
      expect(text).not.toContain(signature.slice(7));
    }
    expect(storedText).toContain("[redacted]");
    // The capture saw the process's log lines (inbound requests log at debug).
    expect(lines.some((l) => l.includes('"msg":"inbound"'))).toBe(true);
  });
});
