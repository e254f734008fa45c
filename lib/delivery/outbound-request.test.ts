import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { buildOutboundRequest } from "./outbound-request";
import { generateSigningSecret } from "./sign-outbound";

const target = { url: "https://hooks.example.com/x", authType: "none", authSecret: null, authHeaderName: null, signingEnabled: true, signingSecret: "" };

describe("buildOutboundRequest", () => {
  it("signs the exact body as Standard Webhooks with the delivery id as webhook-id", () => {
    const secret = generateSigningSecret();
    const req = buildOutboundRequest({ deliveryId: "d-1", target: { ...target, signingSecret: secret }, interaction: { id: "i-1", n: 1 }, nowMs: Date.now() });
    expect(req).toMatchObject({ method: "POST", url: target.url, body: '{"id":"i-1","n":1}' });
    expect(req.headers["webhook-id"]).toBe("d-1");
    expect(new Webhook(secret).verify(req.body, req.headers)).toEqual({ id: "i-1", n: 1 });
  });

  it("adds the target's auth header and leaves signing headers unsigned when signing is off", () => {
    const bearer = buildOutboundRequest({ deliveryId: "d", target: { ...target, signingEnabled: false, authType: "bearer", authSecret: "t0k" }, interaction: {}, nowMs: 0 });
    expect(bearer.headers.authorization).toBe("Bearer t0k");
    expect(bearer.headers["webhook-signature"]).toBeUndefined();
    expect(bearer.headers["webhook-timestamp"]).toBe("0");
    const basic = buildOutboundRequest({ deliveryId: "d", target: { ...target, authType: "basic", authSecret: "u:p" }, interaction: {}, nowMs: 0 });
    expect(basic.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    const header = buildOutboundRequest({ deliveryId: "d", target: { ...target, authType: "header", authSecret: "k", authHeaderName: "X-Api-Key" }, interaction: {}, nowMs: 0 });
    expect(header.headers["x-api-key"]).toBe("k");
  });
});
