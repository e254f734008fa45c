// GET /api/auth/me — who is calling: the signed-in operator (or the API token's org and role)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";

export const GET = withApi(operations.me, async ({ principal }) => ({
  status: 200,
  body: { kind: principal.kind, email: principal.email ?? null, role: principal.role, org: { slug: principal.orgSlug } },
  headers: { "cache-control": "no-store" },
}));
