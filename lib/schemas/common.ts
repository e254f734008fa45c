// Building blocks shared by the operation schemas: ids, timestamps, payload paths,
// error bodies, pagination. Semantic checks (path grammar) run inside zod refinements,
// so their issues carry the same JSON Pointers as structural ones.
import { z } from "zod";
import { isRequestPath, parseRequestPath } from "@/lib/inbound/paths";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, decodeCursor, type Cursor } from "@/lib/cursors";

export const Uuid = z.guid({ error: "must be a UUID" });

/** Responses carry ISO 8601 UTC timestamps (Date.toISOString). */
export const Timestamp = z.iso.datetime();

export const PathString = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseRequestPath(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  })
  .meta({
    id: "PayloadPath",
    description:
      'A payload path: dot notation with array indexes, e.g. "data.object.id" or "items[0].sku". ' +
      "Or a request path: $headers.<name> (a request header, name case-insensitive; repeated headers joined with \", \"), " +
      "$query.<name> (a query parameter of the inbound URL) or $body.<path> (the body, for a key that begins with $). " +
      "Headers carrying signatures or credentials cannot be read. __proto__, constructor and prototype are refused.",
    examples: ["data.object.id", "items[0].sku", "$headers.x-github-event"],
  });

/** A path into the body only (schemaRootPath: what a schema validates is part of the body). */
export const BodyPathString = z
  .string()
  .superRefine((value, ctx) => {
    if (isRequestPath(value)) {
      ctx.addIssue({ code: "custom", message: "must be a path into the body: $headers and $query paths are not allowed here" });
      return;
    }
    const parsed = parseRequestPath(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  })
  .meta({ id: "BodyPath", description: 'A path into the payload, e.g. "data.object" ($body.<path> for a key that begins with $)', examples: ["data.object"] });

/**
 * Keys an operator chooses for interaction objects (field names). "__proto__" would set
 * the object's prototype instead of a property; build-interaction skips it, so it is
 * refused here rather than silently dropped.
 */
export const ObjectKey = z
  .string()
  .min(1)
  .max(128)
  .refine((k) => k !== "__proto__", { message: '"__proto__" is not allowed' });

/** Metadata keys become "_<key>" in the object, so "_proto__" is the one to refuse. */
export const MetadataKey = ObjectKey.refine((k) => k !== "_proto__", { message: '"_proto__" would become "__proto__"' });

export const ErrorDetail = z
  .object({
    path: z.string().meta({ description: 'JSON Pointer ("" is the root; /query/<name> for query parameters)' }),
    message: z.string(),
  })
  .meta({ id: "ErrorDetail" });

/**
 * A JSON Pointer relative to the field being refined ("/0/value") as zod path segments,
 * so issues found by the pipeline's validators land under the right body pointer.
 */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A JSON Schema object (its validity is checked separately, with AJV). */
export const JsonObject = z.record(z.string(), z.unknown());

export const Limit = z.coerce
  .number({ error: "must be an integer" })
  .int({ error: "must be an integer" })
  .min(1, { error: "must be at least 1" })
  .max(MAX_PAGE_LIMIT, { error: `must be at most ${MAX_PAGE_LIMIT}` })
  .default(DEFAULT_PAGE_LIMIT)
  .meta({ description: `Page size, 1–${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT})` });

export const CursorParam = z
  .string()
  .transform((value, ctx): Cursor => {
    const cursor = decodeCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: "Invalid cursor" });
      return z.NEVER;
    }
    return cursor;
  })
  .optional()
  .meta({ description: "The nextCursor of the previous page (opaque)" });

/** `{ data, nextCursor }`: newest first, nextCursor null on the last page. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({ data: z.array(item), nextCursor: z.string().nullable() })
    .meta({ id, description: "A page, newest first; nextCursor is null on the last page." });
}

/** `{ data }`: lists that are small by nature and served whole. */
export function listOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ data: z.array(item) }).meta({ id });
}
