// PUT|DELETE /api/v1/secrets/:name — set (create or replace) or delete one secret a package's secretRef names
import { validationFailed } from "@/lib/errors";
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { SECRET_NAME_RE } from "@/lib/schemas/providerflow";
import { deleteOrgSecret, putOrgSecret } from "@/lib/flows/secrets";

export const dynamic = "force-dynamic";

export const PUT = withApi(operations.putSecret, async ({ principal, params, body }) => {
  const name = params.name ?? "";
  if (!SECRET_NAME_RE.test(name)) {
    throw validationFailed([
      { path: "", message: "The secret name (in the URL) must match ^[A-Z][A-Z0-9_]{0,127}$, as a secretRef does" },
    ]);
  }
  const { secret, created } = await putOrgSecret(principal.orgId, name, body.value);
  return { status: created ? 201 : 200, body: secret };
});

export const DELETE = withApi(operations.deleteSecret, async ({ principal, params }) => {
  await deleteOrgSecret(principal.orgId, params.name ?? "");
  return { status: 204 };
});
