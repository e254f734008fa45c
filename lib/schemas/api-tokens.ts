// API tokens (admin only). The token itself is shown once, in the create response;
// only its SHA-256 and its first 12 characters (the prefix) are stored.
import { z } from "zod";
import { Timestamp, Uuid, listOf } from "./common";

export const Role = z.enum(["admin", "operator", "reviewer"], { error: "must be one of: admin, operator, reviewer" });

export const ApiTokenCreate = z
  .object({ name: z.string().trim().min(1, { error: "must not be empty" }).max(100), role: Role })
  .meta({ id: "ApiTokenCreate" });

const tokenFields = {
  id: Uuid,
  name: z.string(),
  role: Role,
  prefix: z.string().meta({ description: "The first 12 characters of the token, to recognise it" }),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
};

export const ApiToken = z.object(tokenFields).meta({ id: "ApiToken" });

export const ApiTokenCreated = z
  .object({ ...tokenFields, token: z.string().meta({ description: "The bearer token; shown only in this response" }) })
  .meta({ id: "ApiTokenCreated" });

export const ApiTokenList = listOf(ApiToken, "ApiTokenList");

export type ApiTokenCreateInput = z.output<typeof ApiTokenCreate>;
export type ApiTokenDto = z.output<typeof ApiToken>;
export type ApiTokenCreatedDto = z.output<typeof ApiTokenCreated>;
