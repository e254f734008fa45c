// /api-docs — the management API's reference, read from the same OpenAPI document the app
// serves at /api/openapi.json (lib/api/openapi.ts), so it cannot drift from it: every
// operation by tag, who may call it, its parameters and every answer it can give.
import { PageHead } from "@/components/ui/page-head";
import { DataTable } from "@/components/ui/table";
import { requireSession } from "@/lib/auth/current-session";
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

type Json = Record<string, unknown>;
type Operation = { method: string; path: string; op: Json };

const METHODS = ["get", "post", "put", "patch", "delete"];
const asRecord = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});

/** Each answer's status and description; shared error answers are looked up by their $ref. */
function answers(op: Json, shared: Json): { status: string; text: string }[] {
  return Object.entries(asRecord(op.responses)).map(([status, r]) => {
    const ref = asRecord(r).$ref;
    const resolved = typeof ref === "string" ? asRecord(shared[ref.split("/").at(-1) ?? ""]) : asRecord(r);
    return { status, text: String(resolved.description ?? "") };
  });
}

export default async function ApiDocsPage() {
  await requireSession();
  const doc = openApiDocument() as Json;
  const info = asRecord(doc.info);
  const shared = asRecord(asRecord(doc.components).responses);
  const byTag = new Map<string, Operation[]>();
  for (const [path, item] of Object.entries(asRecord(doc.paths))) {
    for (const method of METHODS) {
      const op = asRecord(asRecord(item)[method]);
      if (!op.operationId) continue;
      const tag = String((op.tags as string[] | undefined)?.[0] ?? "Other");
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method: method.toUpperCase(), path, op }]);
    }
  }
  const tags = (doc.tags as { name: string; description?: string }[]).filter((t) => byTag.has(t.name));

  return (
    <div className="stack">
      <PageHead title="API reference">
        <p className="muted">
          {String(info.description ?? "")} Version {String(info.version ?? "")}, license {String(asRecord(info.license).name ?? "")}. Call it
          with <code>Authorization: Bearer prv_…</code> (an API token); the machine-readable document is{" "}
          <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
        </p>
      </PageHead>
      <nav aria-label="API sections">
        <p className="small">
          {tags.map((t, i) => (
            <span key={t.name}>
              {i > 0 ? " · " : null}
              <a href={`#${anchor(t.name)}`}>{t.name}</a>
            </span>
          ))}
        </p>
      </nav>
      {tags.map((t) => (
        <section key={t.name} className="card" aria-labelledby={anchor(t.name)} data-testid={`api-tag-${anchor(t.name)}`}>
          <div className="card-head">
            <h2 id={anchor(t.name)}>{t.name}</h2>
          </div>
          {t.description ? <p className="muted">{t.description}</p> : null}
          <DataTable columns={["Operation", "What", "Who", "Parameters", "Answers"]}>
            {byTag.get(t.name)!.map(({ method, path, op }) => (
              <tr key={`${method} ${path}`} id={String(op.operationId)}>
                <td className="mono small nowrap">
                  <strong>{method}</strong> {path}
                </td>
                <td>{String(op.summary ?? "")}</td>
                <td className="small">{String(op.description ?? "")}</td>
                <td className="mono small">
                  {((op.parameters as { name: string; in: string; required?: boolean }[] | undefined) ?? []).map((p) => (
                    <div key={`${p.in}:${p.name}`}>
                      {p.name}
                      {p.required ? "" : "?"} <span className="muted">({p.in})</span>
                    </div>
                  ))}
                  {op.requestBody ? <div>JSON body</div> : null}
                </td>
                <td className="small">
                  {answers(op, shared).map((a) => (
                    <div key={a.status}>
                      <span className="mono">{a.status}</span> {a.text}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      ))}
    </div>
  );
}

function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
