// POST /api/bench/inbound/:slug/by-mnemonic/:mnemonic — `npm run bench` only: the inbound
// route as an App Router route handler (what `next dev` serves, and production with
// PROVENANCE_LEAN_INBOUND=0), so one run measures it next to the lean path the
// production server takes for /api/inbound/…. Same handler as the real route. Answers
// 404 unless PROVENANCE_BENCH_ROUTES=1 (read from process.env: a benchmark knob).
import { operations } from "@/lib/api/operations";
import { declareRoute } from "@/lib/api/with-api";
import { inboundResponse } from "@/lib/http/inbound-route";

export const dynamic = "force-dynamic";

const enabled = process.env.PROVENANCE_BENCH_ROUTES === "1";

export const POST = declareRoute(
  operations.benchInbound,
  async (request: Request, ctx: { params: Promise<{ slug: string; mnemonic: string }> }) => {
    if (!enabled) return Response.json({ error: "Not found" }, { status: 404 });
    const { slug, mnemonic } = await ctx.params;
    return inboundResponse(request, slug, { mnemonic });
  },
);
