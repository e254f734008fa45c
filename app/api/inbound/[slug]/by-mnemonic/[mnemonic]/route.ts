// POST /api/inbound/:slug/by-mnemonic/:mnemonic — provider webhooks, source by mnemonic
import { operations } from "@/lib/api/operations";
import { declareRoute } from "@/lib/api/with-api";
import { inboundResponse } from "@/lib/http/inbound-route";

export const dynamic = "force-dynamic";

export const POST = declareRoute(
  operations.receiveInboundByMnemonic,
  async (request: Request, ctx: { params: Promise<{ slug: string; mnemonic: string }> }) => {
    const { slug, mnemonic } = await ctx.params;
    return inboundResponse(request, slug, { mnemonic });
  },
);
