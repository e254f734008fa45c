// Routes (mapping → target). Both ends must belong to the caller's org: a mapping or
// target of another org reads as a bad id in the body (400), exactly like an unknown one.
import { prisma } from "@/lib/db";
import { Prisma, type Route } from "@/lib/generated/prisma/client";
import { conflict, notFound, validationFailed } from "@/lib/errors";
import type { RouteCreateInput, RouteDto, RouteListQueryInput } from "@/lib/schemas/routes";
import type { Detail } from "@/lib/inbound/types";
import { toPage, type Page } from "@/lib/cursors";
import { isUniqueViolation } from "./sources";
import { isUuid } from "@/lib/uuid";

export function toRoute(row: Route): RouteDto {
  return {
    id: row.id,
    mappingId: row.mappingId,
    targetId: row.targetId,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Newest first on (createdAt desc, id desc), the order of the (orgId, createdAt, id) index. */
export async function listRoutes(orgId: string, q: RouteListQueryInput): Promise<Page<RouteDto>> {
  const rows = await prisma().route.findMany({
    where: {
      orgId,
      ...(q.mappingId ? { mappingId: q.mappingId } : {}),
      ...(q.targetId ? { targetId: q.targetId } : {}),
      ...(q.cursor ? { OR: [{ createdAt: { lt: q.cursor.at } }, { createdAt: q.cursor.at, id: { lt: q.cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  return toPage(rows, q.limit, (r) => r.createdAt, toRoute);
}

function duplicateRoute() {
  return conflict([{ path: "/targetId", message: "This mapping already routes to this target" }]);
}

export async function createRoute(orgId: string, input: RouteCreateInput): Promise<RouteDto> {
  const [mapping, target] = await Promise.all([
    prisma().inboundMapping.findFirst({ where: { id: input.mappingId, orgId }, select: { id: true } }),
    prisma().target.findFirst({ where: { id: input.targetId, orgId }, select: { id: true } }),
  ]);
  const details: Detail[] = [];
  if (!mapping) details.push({ path: "/mappingId", message: "Mapping not found" });
  if (!target) details.push({ path: "/targetId", message: "Target not found" });
  if (details.length > 0) throw validationFailed(details);
  try {
    const row = await prisma().route.create({ data: { orgId, mappingId: input.mappingId, targetId: input.targetId, active: input.active } });
    return toRoute(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateRoute();
    // The mapping or target was deleted between the check and the insert.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") {
      throw validationFailed([{ path: "", message: "The mapping or target no longer exists" }]);
    }
    throw error;
  }
}

/** Deliveries already created through the route stay; only future interactions are affected. */
export async function deleteRoute(orgId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound();
  const { count } = await prisma().route.deleteMany({ where: { id, orgId } });
  if (count === 0) throw notFound();
}
