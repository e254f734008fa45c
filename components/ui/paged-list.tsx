// The console's filtered, cursor-paged lists (events, interactions, deliveries): the
// filter form (and its source picker), and the result card with its invalid-filter message, empty state and
// "older" link. Server-rendered: filters are a plain GET form, pages are links.
import Link from "next/link";
import type { ReactNode } from "react";
import type { SourceDto } from "@/lib/schemas/sources";
import { withParams } from "@/lib/ui/list-url";

/** A filter select whose empty choice ("any") is no filter. */
export function FilterSelect({
  name,
  label,
  options,
  value,
}: {
  name: string;
  label: string;
  options: readonly (string | { value: string; label: string })[];
  value: string | undefined;
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        <option value="">any</option>
        {options.map((o) => {
          const { value: v, label: text } = typeof o === "string" ? { value: o, label: o } : o;
          return (
            <option key={v} value={v}>
              {text}
            </option>
          );
        })}
      </select>
    </label>
  );
}

export function SourceSelect({ sources, value }: { sources: readonly SourceDto[]; value: string | undefined }) {
  return (
    <FilterSelect
      name="sourceId"
      label="Source"
      options={sources.map((s) => ({ value: s.id, label: `${s.title} (${s.mnemonic})` }))}
      value={value}
    />
  );
}

export function PagedList({
  noun,
  path,
  query,
  filters,
  count,
  nextCursor,
  children,
}: {
  /** Plural, lower case: "events". */
  noun: string;
  path: string;
  /** The page's query as parsePageQuery read it. */
  query: { ok: true; raw: Record<string, string> } | { ok: false; raw: Record<string, string>; message: string };
  /** The list's filter fields (labels with inputs or selects, named as the query keys). */
  filters: ReactNode;
  /** Rows on this page (0: the empty state); omitted when the children are a client list that says so itself (ListEnd). */
  count?: number;
  nextCursor?: string | null;
  children: ReactNode;
}) {
  const { raw } = query;
  const headingId = `${noun}-heading`;
  return (
    <>
      <form className="filters" method="get" action={path} aria-label={`Filter ${noun}`}>
        {filters}
        <button type="submit" className="button">
          Filter
        </button>
      </form>
      <section className="card" aria-labelledby={headingId}>
        <div className="card-head">
          <h2 id={headingId}>{raw.cursor ? `Older ${noun}` : `Newest ${noun}`}</h2>
          {raw.cursor ? <Link href={withParams(path, raw, { cursor: undefined })}>Back to the newest</Link> : null}
        </div>
        {!query.ok ? (
          <p className="form-error" role="alert">
            This filter is not valid ({query.message}). <Link href={path}>Show all {noun}</Link>
          </p>
        ) : count === undefined ? (
          children
        ) : count === 0 ? (
          <ListEmpty noun={noun} />
        ) : (
          <>
            {children}
            <ListEnd noun={noun} path={path} raw={raw} nextCursor={nextCursor ?? null} />
          </>
        )}
      </section>
    </>
  );
}

export function ListEmpty({ noun }: { noun: string }) {
  return <p className="empty">No {noun} match.</p>;
}

/** The link to the next (older) page, when there is one. */
export function ListEnd({ noun, path, raw, nextCursor }: { noun: string; path: string; raw: Record<string, string>; nextCursor: string | null }) {
  return nextCursor ? (
    <p className="card-foot">
      <Link href={withParams(path, raw, { cursor: nextCursor })}>Older {noun} →</Link>
    </p>
  ) : null;
}
