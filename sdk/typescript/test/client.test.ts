// The SDK's behaviour that needs no server: configuration, errors, retries, timeouts,
// paging and secrecy of the token, against a fake fetch. The live tests (every resource
// against a running app) are tests/system/sdk-clients.system.test.ts.
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import provenance, { ProvenanceError, type ProvenanceOptions } from "../src/index";

const TOKEN = "prv_secret_token_value_123456";

type Call = { url: string; method: string; headers: Record<string, string>; body?: string };

function fakeFetch(answers: (call: Call, n: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const call: Call = {
      url: String(input),
      method: init.method ?? "GET",
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body as string | undefined,
    };
    calls.push(call);
    return answers(call, calls.length);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const client = (fetch: typeof globalThis.fetch, extra: ProvenanceOptions = {}) =>
  provenance.api({ url: "http://prov.test:3000/", token: TOKEN, fetch, ...extra });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("configuration", () => {
  it("refuses a missing URL or token before any request, naming the variable", async () => {
    vi.stubEnv("PROVENANCE_URL", "");
    vi.stubEnv("PROVENANCE_TOKEN", "");
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    await expect(provenance.api({ fetch })).rejects.toMatchObject({
      status: 0,
      body: null,
      message: expect.stringContaining("PROVENANCE_URL"),
    });
    await expect(provenance.api({ url: "http://x", fetch })).rejects.toMatchObject({
      status: 0,
      message: expect.stringContaining("PROVENANCE_TOKEN"),
    });
    await expect(provenance.api({ url: "ftp://x", token: TOKEN, fetch })).rejects.toThrow("http or https");
    expect(calls).toHaveLength(0);
  });

  it("reads PROVENANCE_URL, PROVENANCE_TOKEN and PROVENANCE_ORG; explicit options win", async () => {
    vi.stubEnv("PROVENANCE_URL", "http://env.test");
    vi.stubEnv("PROVENANCE_TOKEN", "prv_from_env");
    vi.stubEnv("PROVENANCE_ORG", "acme");
    const { fetch, calls } = fakeFetch(() => json(200, { data: [] }));
    await (await provenance.api({ fetch })).inboundSources.list();
    expect(calls[0]!.url).toBe("http://env.test/api/v1/inbound-sources");
    expect(calls[0]!.headers.authorization).toBe("Bearer prv_from_env");
    expect(calls[0]!.headers["x-provenance-org"]).toBe("acme");
    await (await provenance.api({ url: "http://explicit.test", token: TOKEN, org: "other", fetch })).inboundSources.list();
    expect(calls[1]!.url).toBe("http://explicit.test/api/v1/inbound-sources");
    expect(calls[1]!.headers["x-provenance-org"]).toBe("other");
  });
});

describe("requests", () => {
  it("sends JSON with the method and path of the operation table, encoding path parameters", async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { ok: 1 }));
    const api = await client(fetch);
    await api.inboundSources.update("a/b c", { title: "T" });
    expect(calls[0]).toMatchObject({
      method: "PATCH",
      url: "http://prov.test:3000/api/v1/inbound-sources/a%2Fb%20c",
      body: '{"title":"T"}',
    });
    expect(calls[0]!.headers["content-type"]).toBe("application/json");
    expect(calls[0]!.headers["user-agent"]).toMatch(/^provenance-sdk-typescript\//);
    await api.events.list({ status: "failed", limit: 5, sourceId: undefined });
    expect(calls[1]!.url).toBe("http://prov.test:3000/api/v1/events?status=failed&limit=5");
    await api.secrets.put("STRIPE_KEY", { value: "v" });
    expect(calls[2]).toMatchObject({ method: "PUT", url: "http://prov.test:3000/api/v1/secrets/STRIPE_KEY" });
  });

  it("returns the API's JSON unchanged, and nothing for a delete", async () => {
    const body = { data: [{ id: "1", extra: { nested: [1, 2] } }], nextCursor: null };
    const { fetch } = fakeFetch((c) => (c.method === "DELETE" ? new Response(null, { status: 204 }) : json(200, body)));
    const api = await client(fetch);
    expect(await api.interactions.list()).toEqual(body);
    expect(await api.targets.delete("t1")).toBeUndefined();
  });
});

describe("errors", () => {
  it("carry status and body, and a message naming method, status and error", async () => {
    const details = [{ path: "/mnemonic", message: "is taken" }];
    const { fetch } = fakeFetch(() => json(409, { error: "Conflict", details }));
    const api = await client(fetch);
    const error = await api.inboundSources.create({ title: "S", mnemonic: "S" } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvenanceError);
    expect(error).toMatchObject({
      status: 409,
      body: { error: "Conflict", details },
      message: "inboundSources.create failed: 409 Conflict",
    });
  });

  it("never show the token: not in messages, inspect, JSON or String", async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    });
    const api = await client(fetch, { retries: 0 });
    const error = (await api.inboundSources.list().catch((e: unknown) => e)) as ProvenanceError;
    expect(error.status).toBe(0);
    expect(error.message).toContain("ECONNREFUSED");
    for (const shown of [
      error.message,
      inspect(error),
      inspect(api),
      JSON.stringify(api),
      String(error.stack),
      inspect(api, { showHidden: true, depth: 5 }),
    ]) {
      expect(shown).not.toContain(TOKEN);
    }
  });

  it("a timeout is status 0 with a message that says so", async () => {
    const { fetch } = fakeFetch(
      () =>
        new Promise<Response>((_resolve, reject) => {
          setTimeout(() => reject(new DOMException("The operation was aborted due to timeout", "TimeoutError")), 20);
        }),
    );
    const api = await client(fetch, { timeoutMs: 10 });
    await expect(api.events.get("e1")).rejects.toMatchObject({
      status: 0,
      body: null,
      message: "events.get failed: timed out after 10 ms",
    });
  });
});

describe("retries", () => {
  it("retries GET and DELETE on 502/503/504 and connection errors, honouring Retry-After", async () => {
    const { fetch, calls } = fakeFetch((_c, n) =>
      n === 1
        ? json(503, { error: "Server busy, retry later" }, { "retry-after": "0" })
        : n === 2
          ? json(502, {})
          : json(200, { data: [] }),
    );
    const api = await client(fetch);
    expect(await api.inboundSources.list()).toEqual({ data: [] });
    expect(calls).toHaveLength(3);

    let n = 0;
    const flaky = fakeFetch(() => {
      n += 1;
      if (n === 1) throw new TypeError("fetch failed");
      return new Response(null, { status: 204 });
    });
    await (await client(flaky.fetch)).routes.delete("r1");
    expect(flaky.calls).toHaveLength(2);
  });

  it("gives up after `retries` and reports the last answer", async () => {
    const { fetch, calls } = fakeFetch(() => json(503, { error: "Server busy, retry later" }, { "retry-after": "0" }));
    const api = await client(fetch, { retries: 1 });
    await expect(api.events.list()).rejects.toMatchObject({
      status: 503,
      message: "events.list failed: 503 Server busy, retry later",
    });
    expect(calls).toHaveLength(2);
  });

  it("never retries a POST, PATCH or PUT", async () => {
    const { fetch, calls } = fakeFetch(() => json(503, { error: "Server busy, retry later" }, { "retry-after": "0" }));
    const api = await client(fetch);
    await expect(api.events.replay("e1")).rejects.toMatchObject({ status: 503 });
    await expect(api.inboundMappings.update("m1", {})).rejects.toMatchObject({ status: 503 });
    await expect(api.secrets.put("A", { value: "v" })).rejects.toMatchObject({ status: 503 });
    expect(calls).toHaveLength(3);
  });
});

describe("paging", () => {
  it("iterate walks every page by nextCursor, keeping the filters", async () => {
    const pages: Record<string, unknown> = {
      "": { data: [{ id: "a" }, { id: "b" }], nextCursor: "c1" },
      c1: { data: [{ id: "c" }], nextCursor: "c2" },
      c2: { data: [], nextCursor: null },
    };
    const { fetch, calls } = fakeFetch((c) => json(200, pages[new URL(c.url).searchParams.get("cursor") ?? ""]));
    const api = await client(fetch);
    const ids: string[] = [];
    for await (const e of api.events.iterate({ status: "failed", limit: 2 })) ids.push(e.id);
    expect(ids).toEqual(["a", "b", "c"]);
    expect(calls.map((c) => new URL(c.url).search)).toEqual([
      "?status=failed&limit=2",
      "?status=failed&limit=2&cursor=c1",
      "?status=failed&limit=2&cursor=c2",
    ]);
  });
});
