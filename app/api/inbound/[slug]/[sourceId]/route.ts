// POST /api/inbound/:slug/:sourceId — provider webhooks, source by UUID
import { inboundResponse } from "@/lib/http/inbound-route";

export const dynamic = "force-dynamic";

export async function POST(request: Request, ctx: { params: Promise<{ slug: string; sourceId: string }> }) {
  const { slug, sourceId } = await ctx.params;
  return inboundResponse(request, slug, { id: sourceId });
}
