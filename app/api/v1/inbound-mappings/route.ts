// GET|POST /api/v1/inbound-mappings — list mappings (?sourceId=) in pipeline order; create one
import { withApi } from "@/lib/api/with-api";
import { MappingCreate, MappingListQuery } from "@/lib/api/schemas/mappings";
import { createMapping, listMappings } from "@/lib/store/mappings";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: "reviewer", query: MappingListQuery }, async ({ principal, query }) => ({
  status: 200,
  body: { data: await listMappings(principal.orgId, query) },
}));

export const POST = withApi({ auth: "operator", body: MappingCreate }, async ({ principal, body }) => ({
  status: 201,
  body: await createMapping(principal.orgId, body),
}));
