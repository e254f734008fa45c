// Which ProviderFlow package manages a console object (managedBy "<package>/<object>"),
// for the marks and warnings on its pages: an edit made in the console is reset by the
// package's next apply.
import { prisma } from "@/lib/db";
import { isUuid } from "@/lib/uuid";
import { packageOf } from "./topology";

export type ManagedKind = "source" | "mapping" | "target";

export async function managingPackage(orgId: string, kind: ManagedKind, id: string): Promise<string | null> {
  if (!isUuid(id)) return null;
  const where = { id, orgId };
  const select = { managedBy: true } as const;
  const row =
    kind === "source"
      ? await prisma().inboundSource.findFirst({ where, select })
      : kind === "mapping"
        ? await prisma().inboundMapping.findFirst({ where, select })
        : await prisma().target.findFirst({ where, select });
  return packageOf(row?.managedBy ?? null);
}

/** id → package, for the org's managed objects of a kind (lists). */
export async function managedObjects(orgId: string, kind: ManagedKind): Promise<Map<string, string>> {
  const where = { orgId, managedBy: { not: null } };
  const select = { id: true, managedBy: true } as const;
  const rows =
    kind === "source"
      ? await prisma().inboundSource.findMany({ where, select })
      : kind === "mapping"
        ? await prisma().inboundMapping.findMany({ where, select })
        : await prisma().target.findMany({ where, select });
  return new Map(rows.map((r) => [r.id, packageOf(r.managedBy) ?? ""]));
}
