// Routes: mapping → target. Interactions a mapping creates are delivered to every target
// it routes to (spec delivery.md "Route").
import { z } from "zod";
import { CursorParam, Limit, Timestamp, Uuid, pageOf } from "./common";

export const RouteCreate = z
  .object({
    mappingId: Uuid.meta({ description: "A mapping of the caller's org" }),
    targetId: Uuid.meta({ description: "A target of the caller's org" }),
    active: z.boolean().default(true).meta({ description: "An inactive route creates no deliveries" }),
  })
  .meta({ id: "RouteCreate" });

export const Route = z
  .object({ id: Uuid, mappingId: Uuid, targetId: Uuid, active: z.boolean(), createdAt: Timestamp })
  .meta({ id: "Route" });

export const RouteListQuery = z.object({
  mappingId: Uuid.optional(),
  targetId: Uuid.optional(),
  cursor: CursorParam,
  limit: Limit,
});

export const RoutePage = pageOf(Route, "RoutePage");

export type RouteCreateInput = z.output<typeof RouteCreate>;
export type RouteListQueryInput = z.output<typeof RouteListQuery>;
export type RouteDto = z.output<typeof Route>;
