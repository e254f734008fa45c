// GET|POST /api/v1/api-tokens — list the org's tokens; create one (the token is shown once)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { createApiToken, listApiTokens } from "@/lib/store/api-tokens";
import { tokenMaker } from "@/lib/store/members";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listApiTokens, async ({ principal }) => ({
  status: 200,
  body: { data: await listApiTokens(principal.orgId) },
}));

export const POST = withApi(operations.createApiToken, async ({ principal, body }) => ({
  status: 201,
  // Made by a person: attributed to them. Made by a token: to that token's maker, if any.
  body: await createApiToken(principal.orgId, body, principal.kind === "session" ? principal.userId : await tokenMaker(principal)),
}));
