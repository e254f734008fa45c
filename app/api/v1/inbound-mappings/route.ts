// GET|POST /api/v1/inbound-mappings — list mappings (?sourceId=) in pipeline order; create one
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { createMapping, listMappings } from "@/lib/store/mappings";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listInboundMappings, async ({ principal, query }) => ({
  status: 200,
  body: { data: await listMappings(principal.orgId, query) },
}));

export const POST = withApi(operations.createInboundMapping, async ({ principal, body }) => ({
  status: 201,
  body: await createMapping(principal.orgId, body),
}));
