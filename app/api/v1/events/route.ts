// GET /api/v1/events — newest first, filtered by sourceId and status; cursor-paginated
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listEvents } from "@/lib/store/events";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listEvents, async ({ principal, query }) => ({
  status: 200,
  body: await listEvents(principal.orgId, query),
}));
