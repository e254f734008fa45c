// Queue mode on Upstash QStash (spec inbound-api.md "Queue mode", delivery.md). An
// accepted event is published to the platform's own ingest callback; each delivery
// attempt is published to the delivery callback. Callbacks are verified with QStash's
// Receiver (current and next signing keys) on the raw body and are idempotent, so
// QStash's at-least-once retries never process an event or attempt a delivery twice.
//
// Both SDK objects are pinned to `devMode: false` with every setting passed in: left to
// itself the SDK reads process.env, and QSTASH_DEV=1 there switches the Receiver to the
// SDK's PUBLIC dev signing keys (anyone could forge a callback) and the Client to a local
// dev server it downloads and runs. The app's configuration is lib/env.ts alone.
import { Client, Receiver } from "@upstash/qstash";

export const INGEST_PATH = "/api/qstash/ingest";
export const DELIVER_PATH = "/api/qstash/deliver";
/** QStash's cloud API, the SDK's own default; passed explicitly so the SDK never picks a URL from the environment. */
export const QSTASH_CLOUD_URL = "https://qstash.upstash.io";

export type QStashConfig = { token: string; url: string | undefined; currentSigningKey: string; nextSigningKey: string };

export type QStashAdapter = {
  publishEvent(eventId: string): Promise<void>;
  publishDelivery(d: { id: string; lease: string }): Promise<void>;
  verify(request: { signature: string | null; body: string; path: string }): Promise<boolean>;
};

export function createQStashAdapter(config: QStashConfig, publicUrl: string): QStashAdapter {
  // With baseUrl and token both given the SDK uses them as they are (no QSTASH_URL, QSTASH_REGION lookups).
  const client = new Client({ token: config.token, baseUrl: config.url ?? QSTASH_CLOUD_URL, devMode: false });
  const receiver = new Receiver({ currentSigningKey: config.currentSigningKey, nextSigningKey: config.nextSigningKey, devMode: false });
  const callbackUrl = (path: string) => `${publicUrl}${path}`;
  return {
    async publishEvent(eventId) {
      await client.publishJSON({ url: callbackUrl(INGEST_PATH), body: { eventId }, deduplicationId: `event-${eventId}`, retries: 5 });
    },
    async publishDelivery(d) {
      await client.publishJSON({
        url: callbackUrl(DELIVER_PATH),
        body: { deliveryId: d.id, lease: d.lease },
        // One message per dispatch (lease), so a redispatch after a lost message is not deduplicated away.
        deduplicationId: `delivery-${d.id}-${Date.parse(d.lease)}`,
        retries: 3,
      });
    },
    async verify({ signature, body, path }) {
      if (!signature) return false;
      try {
        // The URL is rebuilt from the configured public URL, never from the request's Host header.
        return await receiver.verify({ signature, body, url: callbackUrl(path) });
      } catch {
        return false;
      }
    },
  };
}
