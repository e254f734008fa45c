// GET|POST /api/v1/routes — list routes (?mappingId=, ?targetId=) newest first, cursor-paginated; create one
import { withApi } from "@/lib/api/with-api";
import { RouteCreate, RouteListQuery } from "@/lib/api/schemas/routes";
import { createRoute, listRoutes } from "@/lib/store/routes";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: "reviewer", query: RouteListQuery }, async ({ principal, query }) => ({
  status: 200,
  body: await listRoutes(principal.orgId, query),
}));

export const POST = withApi({ auth: "operator", body: RouteCreate }, async ({ principal, body }) => ({
  status: 201,
  body: await createRoute(principal.orgId, body),
}));
