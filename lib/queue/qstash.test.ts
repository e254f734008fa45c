// The QStash adapter stays on the configured QStash and keys whatever the environment
// says: @upstash/qstash switches Client and Receiver to "dev mode" when QSTASH_DEV=1 is
// in process.env, and dev mode verifies callbacks with the SDK's PUBLIC dev signing keys
// (anyone could forge a callback) and publishes to a local dev server instead of the
// configured URL. Exercised with the real SDK against the local QStash test double.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpstashJwt, startFakeQStash, type FakeQStash } from "../../tests/qstash-fake/server";
import { createQStashAdapter, INGEST_PATH } from "./qstash";

// The SDK's published dev-mode signing keys (src/dev-server/constants.ts in @upstash/qstash).
const SDK_DEV_CURRENT_KEY = "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r";
const SDK_DEV_NEXT_KEY = "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs";
const PUBLIC_URL = "https://provenance.example";

let fake: FakeQStash;
const saved = { dev: process.env.QSTASH_DEV, port: process.env.QSTASH_DEV_PORT };

beforeAll(async () => {
  fake = await startFakeQStash({ token: "tok_unit", currentSigningKey: "sig_unit_current", nextSigningKey: "sig_unit_next" });
  process.env.QSTASH_DEV = "1";
  // Were dev mode on, the SDK would publish here; nothing listens, so such a publish fails.
  process.env.QSTASH_DEV_PORT = "9";
});

afterAll(async () => {
  for (const [name, value] of [["QSTASH_DEV", saved.dev], ["QSTASH_DEV_PORT", saved.port]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await fake.stop();
});

const adapter = () =>
  createQStashAdapter({ token: "tok_unit", url: fake.url, currentSigningKey: "sig_unit_current", nextSigningKey: "sig_unit_next" }, PUBLIC_URL);

describe("QStash adapter with QSTASH_DEV=1 in the environment", () => {
  const body = JSON.stringify({ eventId: "00000000-0000-4000-8000-000000000000" });
  const url = `${PUBLIC_URL}${INGEST_PATH}`;

  it("refuses a callback signed with the SDK's public dev keys", async () => {
    for (const signingKey of [SDK_DEV_CURRENT_KEY, SDK_DEV_NEXT_KEY]) {
      const signature = signUpstashJwt({ signingKey, url, body });
      expect(await adapter().verify({ signature, body, path: INGEST_PATH }), signingKey).toBe(false);
    }
  });

  it("accepts a callback signed with the configured keys", async () => {
    for (const signingKey of ["sig_unit_current", "sig_unit_next"]) {
      const signature = signUpstashJwt({ signingKey, url, body });
      expect(await adapter().verify({ signature, body, path: INGEST_PATH }), signingKey).toBe(true);
    }
  });

  it("publishes to the configured QStash URL with the configured token", async () => {
    const before = fake.published.length;
    await adapter().publishEvent("11111111-1111-4111-8111-111111111111");
    expect(fake.published.slice(before)).toEqual([
      expect.objectContaining({ destination: `${url}`, body: JSON.stringify({ eventId: "11111111-1111-4111-8111-111111111111" }) }),
    ]);
    // The fake answers 401 to any other token, so reaching it proves the configured token was sent.
    expect(fake.published.at(-1)!.requestHeaders.authorization).toBe("Bearer tok_unit");
  });
});
