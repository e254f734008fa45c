// GET|PATCH|DELETE /api/v1/inbound-mappings/:id — read, update or delete one mapping
import { withApi } from "@/lib/api/with-api";
import { MappingUpdate } from "@/lib/api/schemas/mappings";
import { deleteMapping, getMapping, updateMapping } from "@/lib/store/mappings";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: "reviewer" }, async ({ principal, params }) => ({
  status: 200,
  body: await getMapping(principal.orgId, params.id ?? ""),
}));

export const PATCH = withApi({ auth: "operator", body: MappingUpdate }, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateMapping(principal.orgId, params.id ?? "", body),
}));

export const DELETE = withApi({ auth: "operator" }, async ({ principal, params }) => {
  await deleteMapping(principal.orgId, params.id ?? "");
  return { status: 204 };
});
