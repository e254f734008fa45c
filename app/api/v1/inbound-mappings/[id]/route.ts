// GET|PATCH|DELETE /api/v1/inbound-mappings/:id — read, update or delete one mapping
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { deleteMapping, getMapping, updateMapping } from "@/lib/store/mappings";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getInboundMapping, async ({ principal, params }) => ({
  status: 200,
  body: await getMapping(principal.orgId, params.id ?? ""),
}));

export const PATCH = withApi(operations.updateInboundMapping, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateMapping(principal.orgId, params.id ?? "", body),
}));

export const DELETE = withApi(operations.deleteInboundMapping, async ({ principal, params }) => {
  await deleteMapping(principal.orgId, params.id ?? "");
  return { status: 204 };
});
