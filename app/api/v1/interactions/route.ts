// GET /api/v1/interactions — newest first, filtered by sourceId, resourceType, action; cursor-paginated
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listInteractions } from "@/lib/store/interactions";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listInteractions, async ({ principal, query }) => ({
  status: 200,
  body: await listInteractions(principal.orgId, query),
}));
