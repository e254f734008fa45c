// POST /api/inbound/:slug/by-mnemonic/:mnemonic — provider webhooks, source by mnemonic
import { inboundResponse } from "@/lib/http/inbound-route";

export const dynamic = "force-dynamic";

export async function POST(request: Request, ctx: { params: Promise<{ slug: string; mnemonic: string }> }) {
  const { slug, mnemonic } = await ctx.params;
  return inboundResponse(request, slug, { mnemonic });
}
