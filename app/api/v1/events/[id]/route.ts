// GET /api/v1/events/:id — one event with its (redacted) headers and body
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getEvent } from "@/lib/store/events";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getEvent, async ({ principal, params }) => ({
  status: 200,
  body: await getEvent(principal.orgId, params.id ?? ""),
}));
