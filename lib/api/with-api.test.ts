// The route wrapper's request handling that needs no database: body limits, JSON and
// zod errors as JSON Pointers, __proto__ keys, request ids and the generic 500.
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError } from "@/lib/errors";
import type { OperationSpec } from "./operations";
import { MAX_API_BODY_BYTES, OPERATION, withApi, type AuthLevel } from "./with-api";

const base = {
  id: "testOperation",
  method: "POST",
  path: "/api/x/{id}",
  summary: "A test operation",
  tag: "Internal",
  responses: {
    200: { description: "ok", schema: null },
    202: { description: "accepted", schema: null },
    204: { description: "empty", schema: null },
    303: { description: "elsewhere", schema: null },
  },
  errors: ["conflict", "rate_limited"],
} as const satisfies Omit<OperationSpec, "auth"> & { id: string };

/** A table entry for these tests: `base` with the given overrides. */
function op<const S extends Partial<OperationSpec> & { auth: AuthLevel }>(spec: S): Omit<typeof base, keyof S> & S {
  return { ...base, ...spec };
}

const ctx = { params: Promise.resolve({ id: "abc" }) };

const Body = z.object({ name: z.string().min(1), items: z.array(z.object({ op: z.enum(["a", "b"]) })).optional() });
const Query = z.object({ limit: z.coerce.number().int().max(10).optional() });

const echo = withApi(op({ auth: "public", body: Body, query: Query }), async ({ body, query, params }) => ({
  status: 200,
  body: { body, query, params },
}));

async function send(handler: typeof echo, init: RequestInit & { url?: string } = {}) {
  const res = await handler(new Request(init.url ?? "http://localhost/api/x", { method: "POST", ...init }), ctx);
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null, headers: res.headers };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("withApi", () => {
  it("marks every answer no-store (success and error) unless the route chose its own caching", async () => {
    const ok = await send(echo, { body: JSON.stringify({ name: "n" }) });
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const bad = await send(echo, { body: "{" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("cache-control")).toBe("no-store");
    const cached = withApi(op({ auth: "public" }), async () => ({
      status: 200,
      body: {},
      headers: { "cache-control": "public, max-age=300" },
    }));
    expect((await send(cached)).headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("passes parsed body, query and params to the handler", async () => {
    const res = await send(echo, {
      url: "http://localhost/api/x?limit=3&limit=9",
      body: JSON.stringify({ name: "n", extra: 1 }),
    });
    expect(res.status).toBe(200);
    // Unknown body keys are dropped; a repeated query parameter keeps its first value.
    expect(res.json).toEqual({ body: { name: "n" }, query: { limit: 3 }, params: { id: "abc" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("turns zod issues into JSON Pointers, body and query together", async () => {
    const res = await send(echo, {
      url: "http://localhost/api/x?limit=11",
      body: JSON.stringify({ name: "", items: [{ op: "a" }, { op: "c" }] }),
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: "Validation failed",
      details: [
        { path: "/query/limit", message: expect.any(String) },
        { path: "/name", message: expect.any(String) },
        { path: "/items/1/op", message: expect.any(String) },
      ],
    });
  });

  it("answers invalid JSON, invalid UTF-8 and an empty body with one root detail", async () => {
    for (const body of ["{", "", new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const res = await send(echo, { body });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details: [{ path: "", message: "Invalid JSON body" }] });
    }
  });

  it("refuses __proto__ keys anywhere in the body, with their pointer", async () => {
    const res = await send(echo, { body: '{"name":"n","items":[{"op":"a","__proto__":{"x":1}}]}' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: "Validation failed",
      details: [{ path: "/items/0/__proto__", message: '"__proto__" is not allowed as a key' }],
    });
  });

  it("refuses U+0000 and unpaired surrogates in any string or key of a body, naming each place", async () => {
    // JSON escapes, as a client would send them: the parsed strings hold the code units.
    const body = String.raw`{"name":"a\u0000b","items":[{"op":"a","note":"\ud800"}],"x\u0000y":1,"extra":{"deep":["ok","\udc00z"]}}`;
    const res = await send(echo, { body });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: "Validation failed",
      details: [
        { path: "/name", message: "must not contain U+0000 (NUL)" },
        { path: "/items/0/note", message: "must not contain an unpaired UTF-16 surrogate" },
        { path: "/x\u0000y", message: "key must not contain U+0000 (NUL)" },
        // Fields the schema would drop are refused too: no route can forget one.
        { path: "/extra/deep/1", message: "must not contain an unpaired UTF-16 surrogate" },
      ],
    });
    // A well-formed pair (an emoji written as escapes) is ordinary text.
    const emoji = await send(echo, { body: String.raw`{"name":"\ud83d\ude00"}` });
    expect(emoji.status).toBe(200);
    expect(emoji.json).toMatchObject({ body: { name: "😀" } });
  });

  it("refuses bodies nested deeper than 1000 levels without a stack overflow", async () => {
    const deep = `{"name":"n","extra":${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
    const res = await send(echo, { body: deep });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: "Validation failed",
      details: [{ path: `/extra${"/0".repeat(999)}`, message: "is nested deeper than 1000 levels" }],
    });
    const fine = await send(echo, { body: `{"name":"n","extra":${"[".repeat(999)}${"]".repeat(999)}}` });
    expect(fine.status).toBe(200);
  });

  it("refuses U+0000 in query parameter names and values, known or not", async () => {
    for (const [url, path, message] of [
      ["http://localhost/api/x?limit=%C3%A9%00", "/query/limit", "must not contain U+0000 (NUL)"],
      ["http://localhost/api/x?other=%00", "/query/other", "must not contain U+0000 (NUL)"],
      ["http://localhost/api/x?a%00b=1", "/query/a\u0000b", "name must not contain U+0000 (NUL)"],
    ] as const) {
      const res = await send(echo, { url, body: JSON.stringify({ name: "n" }) });
      expect(res.status, url).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details: [{ path, message }] });
    }
    // Percent-encoded surrogates are not UTF-8: URL decoding already makes them U+FFFD.
    const res = await send(echo, { url: "http://localhost/api/x?other=%ED%A0%80", body: JSON.stringify({ name: "n" }) });
    expect(res.status).toBe(200);
  });

  it("answers 404 for a path parameter holding U+0000 or an unpaired surrogate, before the handler runs", async () => {
    let ran = false;
    const handler = withApi(op({ auth: "public" }), async () => {
      ran = true;
      return { status: 200 };
    });
    for (const id of ["a\u0000", "\ud800"]) {
      const res = await handler(new Request("http://localhost/api/x"), { params: Promise.resolve({ id }) });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "Not found" });
    }
    expect(ran).toBe(false);
  });

  it("refuses bodies over 1 MiB by declared length and by streamed length", async () => {
    const big = JSON.stringify({ name: "x".repeat(MAX_API_BODY_BYTES) });
    const declared = await send(echo, { body: big });
    expect(declared.status).toBe(413);
    expect(declared.json).toEqual({ error: "Payload too large" });

    // No Content-Length: the stream is cut as soon as it passes the limit.
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await send(echo, { body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it("maps ApiError codes to their statuses and exact bodies", async () => {
    const cases = [
      [new ApiError("not_found"), 404, { error: "Not found" }],
      [
        new ApiError("conflict", [{ path: "/mnemonic", message: "taken" }]),
        409,
        { error: "Conflict", details: [{ path: "/mnemonic", message: "taken" }] },
      ],
      [new ApiError("rate_limited"), 429, { error: "Too many requests" }],
    ] as const;
    for (const [error, status, body] of cases) {
      const res = await send(
        withApi(op({ auth: "public" }), async () => {
          throw error;
        }),
      );
      expect(res.status).toBe(status);
      expect(res.json).toEqual(body);
    }
  });

  it("hides unknown errors behind a generic 500 and logs only the first line, once", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const failing = withApi(op({ auth: "public" }), async () => {
      throw new Error('Invalid `prisma.inboundSource.create()` invocation:\n{ data: { verificationSecret: "hunter2-secret" } }');
    });
    const res = await send(failing, { headers: { "x-request-id": "req-42" } });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: "Internal server error" });
    expect(res.headers.get("x-request-id")).toBe("req-42");
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]![0]);
    expect(line).toContain("req-42");
    expect(line).toContain("prisma.inboundSource.create()");
    expect(line).not.toContain("hunter2-secret");
  });

  it("returns 204 with an empty body and keeps a handler's own Response", async () => {
    const empty = await send(withApi(op({ auth: "public" }), async () => ({ status: 204 })));
    expect(empty.status).toBe(204);
    expect(empty.json).toBeNull();
    const raw = await send(withApi(op({ auth: "public" }), async () => Response.json({ ok: true }, { status: 202 })));
    expect(raw.status).toBe(202);
    expect(raw.json).toEqual({ ok: true });
    expect(raw.headers.get("x-request-id")).toBeTruthy();
    const redirect = await send(
      withApi(op({ auth: "public" }), async () => Response.redirect("http://localhost/elsewhere", 303)),
    );
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("location")).toBe("http://localhost/elsewhere");
    expect(redirect.headers.get("x-request-id")).toBeTruthy();
  });

  it("marks the handler with its operation (what the route-coverage test reads)", () => {
    expect(echo[OPERATION].id).toBe("testOperation");
    expect(echo[OPERATION].path).toBe("/api/x/{id}");
  });

  it("answers an undeclared status with a 500 outside production, and logs it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const teapot = withApi(op({ auth: "public" }), async () => ({ status: 418, body: { tea: true } }));
    const res = await send(teapot);
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: "Internal server error" });
    expect(String(log.mock.calls[0]![0])).toContain("testOperation answered 418");

    // An error code the operation does not list is as undeclared as a status.
    const gone = withApi(op({ auth: "public", errors: [] }), async () => {
      throw new ApiError("conflict", [{ path: "", message: "x" }]);
    });
    expect((await send(gone)).status).toBe(500);
    // What withApi answers itself is declared for it: a bad body is a 400 on any operation with a body.
    expect((await send(echo, { body: "{" })).status).toBe(400);
  });

  it("lets an undeclared status through in production (logged, not turned into a failure)", async () => {
    vi.stubEnv("NODE_ENV", "production");
    try {
      const log = vi.spyOn(console, "error").mockImplementation(() => {});
      const teapot = withApi(op({ auth: "public" }), async () => ({ status: 418, body: { tea: true } }));
      const res = await send(teapot);
      expect(res.status).toBe(418);
      expect(log).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
