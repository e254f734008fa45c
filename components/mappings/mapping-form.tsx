"use client";
// Creating and editing a mapping (POST /api/v1/inbound-mappings, PATCH …/:id). Paths are
// dot paths into the payload; conditions, field mappings, metadata paths and the schema
// are JSON, checked here before sending and then by the API, whose details are shown.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { JsonEditor } from "@/components/ui/json-editor";
import { callApi, jsonField, ProblemBox, type Problem } from "@/components/ui/api-call";
import type { MappingDto } from "@/lib/api/schemas/mappings";

const pretty = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v, null, 2));

export function MappingForm({ sourceId, mapping }: { sourceId: string; mapping?: MappingDto }) {
  const router = useRouter();
  const [f, setF] = useState({
    title: mapping?.title ?? "",
    priority: String(mapping?.priority ?? 0),
    active: mapping?.active ?? true,
    resourceType: mapping?.resourceType ?? "",
    actionMode: mapping?.actionPath ? "path" : "fixed",
    action: mapping?.action ?? "",
    actionPath: mapping?.actionPath ?? "",
    resourceIdPath: mapping?.resourceIdPath ?? "",
    idempotencyPath: mapping?.idempotencyPath ?? "",
    schemaRootPath: mapping?.schemaRootPath ?? "",
    conditions: mapping ? pretty(mapping.conditions) : '[\n  { "path": "type", "op": "eq", "value": "" }\n]',
    fieldMappings: pretty(mapping?.fieldMappings),
    metadataPaths: pretty(mapping?.metadataPaths),
    payloadSchema: pretty(mapping?.payloadSchema),
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const json: Record<string, unknown> = {};
    for (const [key, label] of [
      ["conditions", "Conditions"],
      ["fieldMappings", "Field mappings"],
      ["metadataPaths", "Metadata paths"],
      ["payloadSchema", "Payload schema"],
    ] as const) {
      const parsed = jsonField(label, f[key]);
      if (!parsed.ok) return setProblem(parsed.problem);
      json[key] = parsed.value ?? (key === "conditions" ? [] : null);
    }
    const priority = Number(f.priority);
    const body: Record<string, unknown> = {
      title: f.title.trim() || undefined,
      priority: Number.isInteger(priority) ? priority : f.priority,
      active: f.active,
      resourceType: f.resourceType,
      ...(f.actionMode === "fixed" ? { action: f.action } : { actionPath: f.actionPath }),
      resourceIdPath: f.resourceIdPath,
      idempotencyPath: f.idempotencyPath.trim() || null,
      schemaRootPath: f.schemaRootPath.trim() || null,
      ...json,
    };
    if (!mapping) body.sourceId = sourceId;
    setBusy(true);
    setProblem(null);
    const r = mapping
      ? await callApi<MappingDto>("PATCH", `/api/v1/inbound-mappings/${mapping.id}`, body)
      : await callApi<MappingDto>("POST", "/api/v1/inbound-mappings", body);
    setBusy(false);
    if (!r.ok) return setProblem(r.problem);
    router.push(`/mappings/${r.body.id}`);
    router.refresh();
  }

  const text = (id: keyof typeof f, label: string, opts: { required?: boolean; placeholder?: string; mono?: boolean } = {}) => (
    <div className="field">
      <label htmlFor={`mapping-${id}`}>{label}</label>
      <input
        id={`mapping-${id}`}
        value={String(f[id])}
        onChange={set(id)}
        required={opts.required}
        placeholder={opts.placeholder}
        className={opts.mono ? "mono" : undefined}
      />
    </div>
  );
  const area = (id: keyof typeof f, label: string, rows: number) => (
    <JsonEditor
      label={label}
      path={id === "payloadSchema" ? "mapping/payload-schema.json" : `mapping/${id}.json`}
      value={String(f[id])}
      onChange={(value) => setF((current) => ({ ...current, [id]: value }))}
      rows={rows + 2}
    />
  );

  return (
    <form className="form wide-form" onSubmit={submit} aria-label={mapping ? "Edit mapping" : "New mapping"}>
      {text("title", "Title (default: resource type.action)")}
      {text("resourceType", "Resource type", { required: true, placeholder: "payment" })}
      <div className="field">
        <label htmlFor="mapping-actionMode">Action</label>
        <select id="mapping-actionMode" value={f.actionMode} onChange={set("actionMode")}>
          <option value="fixed">a fixed name</option>
          <option value="path">read from the payload</option>
        </select>
      </div>
      {f.actionMode === "fixed"
        ? text("action", "Action name", { required: true, placeholder: "succeeded" })
        : text("actionPath", "Action path", { required: true, placeholder: "type", mono: true })}
      {text("priority", "Priority (higher is tried first)")}
      <label className="checkbox">
        <input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.target.checked })} /> Active
      </label>
      {area("conditions", 'Conditions (JSON array of { "path", "op", "value" }; all must pass)', 5)}
      {text("resourceIdPath", "Resource id path", { required: true, placeholder: "data.object.id", mono: true })}
      {text("idempotencyPath", "Idempotency path (optional: deduplicates)", { placeholder: "id", mono: true })}
      {text("schemaRootPath", "Schema root path (optional)", { placeholder: "data.object", mono: true })}
      {area("fieldMappings", 'Field mappings (JSON object { "field": "path" }; empty: the whole payload)', 4)}
      {area("metadataPaths", 'Metadata paths (JSON object { "name": "path" }, stored as "_name")', 3)}
      {area("payloadSchema", "Payload schema (JSON Schema at the schema root, optional)", 6)}
      <ProblemBox problem={problem} />
      <div>
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? "Saving…" : mapping ? "Save mapping" : "Create mapping"}
        </button>
      </div>
    </form>
  );
}
