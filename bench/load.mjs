// The load generator, run by bench/run.mjs as a SECOND process so that the load does not
// share an event loop with what it measures. argv[2] is JSON:
//   { url, connections, seconds, signed: bool, tag }
// Every request is a distinct 1 KiB Stripe event signed at send time. Prints autocannon's
// result as one JSON line on stdout.
import autocannon from "autocannon";
import { makeEvent, stripeSignature } from "./event.mjs";

const opts = JSON.parse(process.argv[2] ?? "{}");
let n = 0;

const result = await autocannon({
  url: opts.url,
  connections: opts.connections ?? 50,
  duration: opts.seconds ?? 10,
  method: "POST",
  headers: { "content-type": "application/json" },
  requests: [
    {
      setupRequest(req) {
        const body = makeEvent(n++, opts.tag ?? "b");
        const headers = { ...req.headers };
        if (opts.signed !== false) headers["stripe-signature"] = stripeSignature(body);
        return { ...req, body, headers };
      },
    },
  ],
});

process.stdout.write(`${JSON.stringify(result)}\n`);
