// POST /api/v1/members/:id/invite — a new one-time link for a pending invitation
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { env } from "@/lib/env";
import { reissueInvite } from "@/lib/store/members";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.reinviteMember, async ({ principal, params }) => ({
  status: 201,
  body: await reissueInvite(principal, params.id ?? "", env().publicUrl),
  headers: { "cache-control": "no-store" },
}));
