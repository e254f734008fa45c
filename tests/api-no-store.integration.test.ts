// Cache-Control on the management API (issue 11, item 5): answers that carry a secret or
// a token (a new API token, a target's signing secret when created or rotated, a session)
// must never be kept by a browser or shared cache; every other management answer, tenant
// data, is no-store as well. Only the public OpenAPI document may be cached.
import { describe, expect, it } from "vitest";
import * as tokens from "@/app/api/v1/api-tokens/route";
import * as targets from "@/app/api/v1/targets/route";
import * as target from "@/app/api/v1/targets/[id]/route";
import * as rotate from "@/app/api/v1/targets/[id]/rotate-secret/route";
import * as sources from "@/app/api/v1/inbound-sources/route";
import * as openapi from "@/app/api/openapi.json/route";
import * as me from "@/app/api/auth/me/route";
import { call, createOrgWithToken, createSessionCookie, obj } from "./helpers/fixtures";

describe("Cache-Control on management answers", () => {
  it("no-store on every answer that carries a secret or token", async () => {
    const { org, token } = await createOrgWithToken("admin");
    const made = await call(tokens.POST, "POST", "/api/v1/api-tokens", { token, body: { name: "ci", role: "operator" } });
    expect(made.status).toBe(201);
    expect(obj(made.json).token).toBeTruthy();
    expect(made.headers.get("cache-control")).toBe("no-store");

    const created = await call(targets.POST, "POST", "/api/v1/targets", { token, body: { name: "billing", url: "https://hooks.example.com/x" } });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.json)).toMatch(/whsec_/);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const id = String(obj(created.json).id);
    const rotated = await call(rotate.POST, "POST", `/api/v1/targets/${id}/rotate-secret`, { token, params: { id } });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("cache-control")).toBe("no-store");

    const cookie = await createSessionCookie(org.id, "admin");
    const session = await call(me.GET, "GET", "/api/auth/me", { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(session.headers.get("cache-control")).toBe("no-store");
  });

  it("no-store on tenant data and on errors too; the public OpenAPI document stays cacheable", async () => {
    const { token } = await createOrgWithToken("admin");
    for (const res of [
      await call(sources.GET, "GET", "/api/v1/inbound-sources", { token }),
      await call(target.GET, "GET", "/api/v1/targets/00000000-0000-4000-8000-000000000000", { token, params: { id: "00000000-0000-4000-8000-000000000000" } }),
      await call(sources.GET, "GET", "/api/v1/inbound-sources"),
      await call(tokens.POST, "POST", "/api/v1/api-tokens", { token, rawBody: "{" }),
    ]) {
      expect([200, 400, 401, 404]).toContain(res.status);
      expect(res.headers.get("cache-control"), `${res.status}`).toBe("no-store");
    }
    const doc = await call(openapi.GET, "GET", "/api/openapi.json");
    expect(doc.headers.get("cache-control")).toBe("public, max-age=300");
  });
});
