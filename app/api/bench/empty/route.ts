// POST /api/bench/empty — `npm run bench` only: the cost of the Next.js request path itself
// (route an App Router request, read a body, answer JSON), the ceiling the inbound route is
// measured against. Answers 404 unless PROVENANCE_BENCH_ROUTES=1, so a deployment exposes
// no toy route. The switch is read straight from process.env rather than lib/env.ts: it is
// a benchmark knob, not part of the app's configuration.
import { operations } from "@/lib/api/operations";
import { declareRoute } from "@/lib/api/with-api";
export const dynamic = "force-dynamic";

const enabled = process.env.PROVENANCE_BENCH_ROUTES === "1";

export const POST = declareRoute(operations.benchEmpty, async (request: Request) => {
  if (!enabled) return Response.json({ error: "Not found" }, { status: 404 });
  // Read the body like any webhook handler must; do nothing else.
  await request.arrayBuffer();
  return Response.json({ queued: true }, { status: 202 });
});
