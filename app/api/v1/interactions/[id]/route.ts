// GET /api/v1/interactions/:id — one interaction
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getInteraction } from "@/lib/store/interactions";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getInteraction, async ({ principal, params }) => ({
  status: 200,
  body: await getInteraction(principal.orgId, params.id ?? ""),
}));
