// GET /api/openapi.json — the OpenAPI 3.1 document of the management API and inbound URLs (public)
import { openApiDocument } from "@/lib/api/openapi";
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.openapi, async () => ({
  status: 200,
  body: openApiDocument(),
  headers: { "cache-control": "public, max-age=300" },
}));
