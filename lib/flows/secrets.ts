// The org's secret store: values for ProviderFlow `secretRef`s. Write-only through the
// API: names and hints leave this module, values only through secretLookup, which the
// sandbox run and apply use to resolve a package's references.
//
// Resolution reads this table and nothing else. The server's own environment is never
// consulted: a tenant who could name `DATABASE_URL` as a secretRef would otherwise read
// (through a target's auth header, sent to a URL of their choosing) the host's secrets.
// Values are stored sealed for their org and name (secret-values.ts).
import { prisma } from "@/lib/db";
import type { OrgSecret } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import { SECRET_NAME_RE, type OrgSecretDto } from "@/lib/schemas/providerflow";
import { secretHint } from "@/lib/schemas/sources";
import { isUniqueViolation } from "@/lib/store/sources";
import type { SecretLookup } from "@/providerflow/compile";
import { hintOf, readSecret, sealSecret } from "@/lib/store/secret-values";

const KIND = "OrgSecret.value";

export function toOrgSecret(row: OrgSecret): OrgSecretDto {
  return {
    name: row.name,
    hint: hintOf(KIND, row, row.value, secretHint) ?? secretHint(""),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** By name: the order a reader looks them up in. */
export async function listOrgSecrets(orgId: string): Promise<OrgSecretDto[]> {
  const rows = await prisma().orgSecret.findMany({ where: { orgId }, orderBy: { name: "asc" } });
  return rows.map(toOrgSecret);
}

/** Creates or replaces the value; `created` tells the route whether to answer 201 or 200. */
export async function putOrgSecret(
  orgId: string,
  name: string,
  value: string,
): Promise<{ secret: OrgSecretDto; created: boolean }> {
  // Insert first and fall back to an update on the unique (orgId, name) violation, so a
  // concurrent PUT of the same name never fails and the caller still learns which it was.
  const sealed = sealSecret(KIND, { orgId, name }, value);
  try {
    const row = await prisma().orgSecret.create({ data: { orgId, name, value: sealed } });
    return { secret: toOrgSecret(row), created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const row = await prisma().orgSecret.update({ where: { orgId_name: { orgId, name } }, data: { value: sealed } });
  return { secret: toOrgSecret(row), created: false };
}

export async function deleteOrgSecret(orgId: string, name: string): Promise<void> {
  if (!SECRET_NAME_RE.test(name)) throw notFound();
  const { count } = await prisma().orgSecret.deleteMany({ where: { orgId, name } });
  if (count === 0) throw notFound();
}

/**
 * Every secret of the org, as the lookup compile.ts's resolvers take. Loaded whole (an
 * org holds a handful) so the lookup is synchronous, as the sandbox needs it.
 */
export async function secretLookup(orgId: string): Promise<SecretLookup> {
  const rows = await prisma().orgSecret.findMany({ where: { orgId }, select: { name: true, value: true } });
  const values = new Map<string, string>();
  for (const r of rows) {
    // One that cannot be decrypted is missing to its readers (logged once): apply then
    // refuses the package that needs it, as for an unset secretRef.
    const plain = readSecret(KIND, { orgId, name: r.name }, r.value, "packages that refer to it are refused as if it were unset");
    if (plain !== null) values.set(r.name, plain);
  }
  return (ref) => values.get(ref);
}
