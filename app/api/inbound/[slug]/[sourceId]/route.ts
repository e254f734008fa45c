// POST /api/inbound/:slug/:sourceId — provider webhooks, source by UUID
import { operations } from "@/lib/api/operations";
import { declareRoute } from "@/lib/api/with-api";
import { inboundResponse } from "@/lib/http/inbound-route";

export const dynamic = "force-dynamic";

export const POST = declareRoute(
  operations.receiveInboundBySourceId,
  async (request: Request, ctx: { params: Promise<{ slug: string; sourceId: string }> }) => {
    const { slug, sourceId } = await ctx.params;
    return inboundResponse(request, slug, { id: sourceId });
  },
);
