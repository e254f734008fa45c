// Console pages take the same list filters as the management API, from the URL's query,
// validated by the API's own zod schema: a hand-edited bad value is a message on the
// page, never a 500. An absent or empty parameter is no filter.
import { notFound } from "next/navigation";
import type { z } from "zod";
import { ApiError } from "@/lib/errors";
import { unstorableTextReason } from "@/lib/inbound/storable-text";

export { withParams } from "./list-url";

export type SearchParams = Record<string, string | string[] | undefined>;

export function firstValues(params: SearchParams, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const raw = params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value !== "") out[key] = value;
  }
  return out;
}

export function parsePageQuery<S extends z.ZodType>(
  schema: S,
  params: SearchParams,
  keys: readonly string[],
): { ok: true; query: z.output<S>; raw: Record<string, string> } | { ok: false; message: string; raw: Record<string, string> } {
  const raw = firstValues(params, keys);
  // As the API wrapper refuses them: %00 decodes to U+0000, which no filter can match
  // and PostgreSQL refuses in a query (the page was a 500).
  const unstorable = Object.entries(raw).flatMap(([k, v]) => {
    const reason = unstorableTextReason(v);
    return reason ? [`${k}: ${reason}`] : [];
  });
  if (unstorable.length > 0) return { ok: false, message: unstorable.join("; "), raw };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data, raw };
  const message = parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; ");
  return { ok: false, message, raw };
}

/** An org-scoped lookup whose 404 becomes the 404 page (another org's id is unknown here). */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  }
}
