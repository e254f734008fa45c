// POST /api/v1/inbound-sources/:id/what-if — a draft new mapping over this source's recent events; writes nothing
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { validateInProcess } from "@/lib/inbound/validate-schema";
import { whatIfNewMapping } from "@/lib/store/what-if";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.whatIfNewMapping, async ({ principal, params, body }) => ({
  status: 200,
  body: await whatIfNewMapping(principal.orgId, params.id ?? "", body.draft, body.limit, validateInProcess),
}));
