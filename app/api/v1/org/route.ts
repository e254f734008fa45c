// GET|PATCH /api/v1/org — the org's settings (separation of duties for approvals)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getOrgSettings, updateOrgSettings } from "@/lib/store/members";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getOrgSettings, async ({ principal }) => ({
  status: 200,
  body: await getOrgSettings(principal.orgId),
}));

export const PATCH = withApi(operations.updateOrgSettings, async ({ principal, body }) => ({
  status: 200,
  body: await updateOrgSettings(principal.orgId, body),
}));
