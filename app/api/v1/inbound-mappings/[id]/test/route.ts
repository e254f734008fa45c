// POST /api/v1/inbound-mappings/:id/test — dry-run one mapping against a sample payload; writes nothing
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { testMapping } from "@/lib/api/test-mapping";
import { runtime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

// A reviewer may test: the dry run reads configuration and changes nothing. The sample is
// validated in the schema pool, in a lane of the org's own (503 when that is full).
export const POST = withApi(operations.testInboundMapping, async ({ principal, params, body }) => ({
  status: 200,
  body: await testMapping(principal.orgId, params.id ?? "", body, runtime().schemas.validator(`tester:${principal.orgId}`)),
}));
