import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, HSTS, pageSecurityHeaders } from "./security-headers";

const directives = (csp: string) => Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));

describe("console page security headers", () => {
  it("scripts run only with the nonce (and what they load); nothing may frame the page", () => {
    const d = directives(contentSecurityPolicy({ nonce: "abc123", dev: false, https: false }));
    expect(d["script-src"]).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(d["style-src"]).toBe("'self' 'nonce-abc123'");
    expect(d["style-src-attr"]).toBe("'unsafe-inline'");
    expect(d["frame-ancestors"]).toBe("'none'");
    expect(d["object-src"]).toBe("'none'");
    expect(d["base-uri"]).toBe("'none'");
    expect(d["form-action"]).toBe("'self'");
    expect(d["upgrade-insecure-requests"]).toBeUndefined();
  });

  it("development adds eval for React's error overlay and inline styles for the dev server, never in production", () => {
    const d = directives(contentSecurityPolicy({ nonce: "n", dev: true, https: false }));
    expect(d["script-src"]).toBe("'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval'");
    expect(d["style-src"]).toBe("'self' 'unsafe-inline'");
  });

  it("HSTS and upgrade-insecure-requests only when the public URL is https", () => {
    const https = pageSecurityHeaders({ publicUrl: "https://hooks.example.com", dev: false, nonce: "n" });
    expect(https["strict-transport-security"]).toBe(HSTS);
    expect(HSTS).toBe("max-age=31536000");
    expect(directives(https["content-security-policy"]!)).toHaveProperty("upgrade-insecure-requests");
    const http = pageSecurityHeaders({ publicUrl: "http://localhost:3000", dev: false, nonce: "n" });
    expect(http["strict-transport-security"]).toBeUndefined();
    expect(directives(http["content-security-policy"]!)).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("makes a fresh, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });
});
