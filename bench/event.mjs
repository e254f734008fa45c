// The benchmark's event: a Stripe `payment_intent.succeeded` padded to exactly 1 KiB, and
// its Stripe-Signature (t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">), made with
// node:crypto the way Stripe's servers do.
import { createHmac } from "node:crypto";

export const EVENT_BYTES = 1024;
export const STRIPE_SECRET = "whsec_bench_0123456789abcdef0123456789";

/** A distinct 1 KiB event; `n` makes its ids unique. */
export function makeEvent(n, tag = "b") {
  const base = {
    id: `evt_${tag}_${n}`,
    object: "event",
    type: "payment_intent.succeeded",
    created: 1764000000,
    data: {
      object: {
        id: `pi_${tag}_${n}`,
        object: "payment_intent",
        amount: 1000 + (n % 9000),
        currency: "usd",
        customer: `cus_${n % 997}`,
        metadata: { user_id: `u_${n % 101}` },
        description: "",
      },
    },
  };
  const size = Buffer.byteLength(JSON.stringify(base));
  base.data.object.description = "x".repeat(Math.max(0, EVENT_BYTES - size));
  return JSON.stringify(base);
}

export function stripeSignature(body, secret = STRIPE_SECRET, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}
