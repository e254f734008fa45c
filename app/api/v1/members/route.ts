// GET|POST /api/v1/members — the org's members; invite one (the link is shown once)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { env } from "@/lib/env";
import { inviteMember, listMembers } from "@/lib/store/members";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listMembers, async ({ principal }) => ({
  status: 200,
  body: { data: await listMembers(principal.orgId) },
}));

export const POST = withApi(operations.inviteMember, async ({ principal, body }) => ({
  status: 201,
  body: await inviteMember(principal, body, env().publicUrl),
  headers: { "cache-control": "no-store" },
}));
