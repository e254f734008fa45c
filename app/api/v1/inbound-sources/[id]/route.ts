// GET|PATCH|DELETE /api/v1/inbound-sources/:id — read, update or delete one source
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { deleteSource, getSource, updateSource } from "@/lib/store/sources";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getInboundSource, async ({ principal, params }) => ({
  status: 200,
  body: await getSource(principal.orgId, params.id ?? ""),
}));

export const PATCH = withApi(operations.updateInboundSource, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateSource(principal.orgId, params.id ?? "", body),
}));

export const DELETE = withApi(operations.deleteInboundSource, async ({ principal, params }) => {
  await deleteSource(principal.orgId, params.id ?? "");
  return { status: 204 };
});
