// GET|POST /api/v1/routes — list routes (?mappingId=, ?targetId=) newest first, cursor-paginated; create one
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { createRoute, listRoutes } from "@/lib/store/routes";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listRoutes, async ({ principal, query }) => ({
  status: 200,
  body: await listRoutes(principal.orgId, query),
}));

export const POST = withApi(operations.createRoute, async ({ principal, body }) => ({
  status: 201,
  body: await createRoute(principal.orgId, body),
}));
