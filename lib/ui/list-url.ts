// A list page's URL with its filters and cursor (browser-safe: the paged lists' client
// components build their "older" links with it too).

/** The URL of the same list with `changes` applied (undefined removes a parameter). */
export function withParams(path: string, raw: Record<string, string>, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...raw, ...changes })) if (v !== undefined && v !== "") next.set(k, v);
  const q = next.toString();
  return q ? `${path}?${q}` : path;
}

/** Rows on one page of the console's cursor-paged lists. */
export const LIST_PAGE_SIZE = 50;
