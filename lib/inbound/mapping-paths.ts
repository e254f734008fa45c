// Every path a mapping reads, with the JSON Pointer of where it sits in the mapping's
// API body, so create-time checks can say exactly which field is wrong. Request paths
// may not name a header that carries a signature or a credential: events store those
// redacted, and a mapping reading one would match "[redacted]" and nothing else.
import { unreadableHeaderReason } from "./paths";
import type { Detail } from "./types";

export type MappingPaths = {
  conditions?: unknown;
  resourceIdPath?: string | null;
  idempotencyPath?: string | null;
  actionPath?: string | null;
  fieldMappings?: unknown;
  metadataPaths?: unknown;
};

const escape = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** [pointer, path] for each path of the mapping. */
export function mappingPaths(m: MappingPaths): [string, string][] {
  const out: [string, string][] = [];
  if (Array.isArray(m.conditions)) {
    m.conditions.forEach((c: unknown, i) => {
      const path = typeof c === "object" && c !== null ? (c as { path?: unknown }).path : undefined;
      if (typeof path === "string") out.push([`/conditions/${i}/path`, path]);
    });
  }
  for (const key of ["resourceIdPath", "idempotencyPath", "actionPath"] as const) {
    const path = m[key];
    if (typeof path === "string") out.push([`/${key}`, path]);
  }
  for (const key of ["fieldMappings", "metadataPaths"] as const) {
    const record = m[key];
    if (typeof record !== "object" || record === null || Array.isArray(record)) continue;
    for (const [name, path] of Object.entries(record)) if (typeof path === "string") out.push([`/${key}/${escape(name)}`, path]);
  }
  return out;
}

/** Details for every path that names a header no mapping may read (`signatureHeaders`: the source's, lower-cased). */
export function unreadablePathDetails(m: MappingPaths, signatureHeaders: readonly string[]): Detail[] {
  const details: Detail[] = [];
  for (const [pointer, path] of mappingPaths(m)) {
    const reason = unreadableHeaderReason(path, signatureHeaders);
    if (reason) details.push({ path: pointer, message: reason });
  }
  return details;
}
