// The HTTP request a delivery makes, as a pure function: the live delivery worker sends
// it, and the ProviderFlow sandbox records it in goldens, so both agree by construction.
import { signOutbound } from "./sign-outbound";

export type OutboundTarget = {
  url: string;
  authType: string;
  authSecret: string | null;
  authHeaderName: string | null;
  signingEnabled: boolean;
  signingSecret: string | null;
};

export type OutboundRequest = { method: "POST"; url: string; headers: Record<string, string>; body: string };

/** `deliveryId` is the stable `webhook-id`; `interaction` is the API's interaction JSON. */
export function buildOutboundRequest(input: {
  deliveryId: string;
  target: OutboundTarget;
  interaction: unknown;
  nowMs: number;
}): OutboundRequest {
  const { deliveryId, target, nowMs } = input;
  const body = JSON.stringify(input.interaction);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Provenance-Webhooks/1" };
  const timestampSeconds = Math.floor(nowMs / 1000);
  if (target.signingEnabled && target.signingSecret) {
    Object.assign(headers, signOutbound({ secret: target.signingSecret, msgId: deliveryId, timestampSeconds, body }));
  } else {
    headers["webhook-id"] = deliveryId;
    headers["webhook-timestamp"] = String(timestampSeconds);
  }
  if (target.authSecret) {
    if (target.authType === "bearer") headers.authorization = `Bearer ${target.authSecret}`;
    else if (target.authType === "basic") headers.authorization = `Basic ${Buffer.from(target.authSecret).toString("base64")}`;
    else if (target.authType === "header" && target.authHeaderName) headers[target.authHeaderName.toLowerCase()] = target.authSecret;
  }
  return { method: "POST", url: target.url, headers, body };
}
