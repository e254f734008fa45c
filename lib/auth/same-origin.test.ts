import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./same-origin";

const h = (o: Record<string, string>) => new Headers(o);

describe("isSameOrigin", () => {
  it("accepts the app's own origin and the public URL", () => {
    expect(isSameOrigin(h({ origin: "http://localhost:3000", host: "localhost:3000" }), "http://localhost:3000/api/x")).toBe(true);
    expect(isSameOrigin(h({ origin: "https://hooks.example.com" }), "http://127.0.0.1:3000/api/x", "https://hooks.example.com")).toBe(true);
  });
  it("refuses another site, the null origin and requests with no provenance", () => {
    expect(isSameOrigin(h({ origin: "https://evil.example", host: "localhost:3000" }), "http://localhost:3000/api/x")).toBe(false);
    expect(isSameOrigin(h({ origin: "null" }), "http://localhost:3000/api/x")).toBe(false);
    expect(isSameOrigin(h({ "sec-fetch-site": "cross-site" }), "http://localhost:3000/api/x")).toBe(false);
    expect(isSameOrigin(h({}), "http://localhost:3000/api/x")).toBe(false);
  });
  it("falls back to Sec-Fetch-Site when no Origin is sent", () => {
    expect(isSameOrigin(h({ "sec-fetch-site": "same-origin" }), "http://localhost:3000/api/x")).toBe(true);
  });
});
