"use client";
// Creating and editing a mapping (POST /api/v1/inbound-mappings, PATCH …/:id). Paths are
// paths into the payload (or the request: $headers.…, $query.…); conditions, field mappings, metadata paths and the schema
// are JSON, checked here before sending and then by the API, whose details are shown.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { jsonField, ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { JsonEditor } from "@/components/ui/json-editor";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { MappingDto } from "@/lib/schemas/mappings";
import { DELIVERY_ID_PATHS, type VerificationPreset } from "@/lib/inbound/types";
import type { WhatIfResultDto } from "@/lib/schemas/what-if";
import { apiFetch } from "@/lib/ui/api-fetch";
import { WhatIfResult } from "./what-if-result";

const JSON_FIELDS = ["conditions", "fieldMappings", "metadataPaths", "payloadSchema"] as const;
const TEXT_FIELDS = ["title", "priority", "resourceType", "action", "actionPath", "resourceIdPath", "idempotencyPath", "schemaRootPath"] as const;

const pretty = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v, null, 2));

export function MappingForm({ sourceId, mapping, preset = null }: { sourceId: string; mapping?: MappingDto; preset?: string | null }) {
  // A new mapping starts deduplicating on where its provider names the delivery.
  const suggestedIdempotency = preset ? (DELIVERY_ID_PATHS[preset as VerificationPreset] ?? "") : "";
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
    idempotencyPath: mapping ? (mapping.idempotencyPath ?? "") : suggestedIdempotency,
    schemaRootPath: mapping?.schemaRootPath ?? "",
    conditions: mapping ? pretty(mapping.conditions) : '[\n  { "path": "type", "op": "eq", "value": "" }\n]',
    fieldMappings: pretty(mapping?.fieldMappings),
    metadataPaths: pretty(mapping?.metadataPaths),
    payloadSchema: pretty(mapping?.payloadSchema),
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  // What is wrong with each JSON field's text, found before anything is sent.
  const [jsonErrors, setJsonErrors] = useState<Partial<Record<(typeof JSON_FIELDS)[number], string>>>({});
  const save = useApiMutation({
    mutationFn: (body: Record<string, unknown>) =>
      mapping
        ? apiFetch<MappingDto>("PATCH", `/api/v1/inbound-mappings/${encodeURIComponent(mapping.id)}`, body)
        : apiFetch<MappingDto>("POST", "/api/v1/inbound-mappings", body),
    success: (r) => (mapping ? `Saved ${r.title}` : `Created ${r.title}`),
    // The mapping's page is server-rendered: navigating there loads it fresh.
    onSuccess: (r) => router.push(`/mappings/${r.id}`),
  });
  const errorAt = (key: string) => (key in jsonErrors ? jsonErrors[key as keyof typeof jsonErrors] : save.fieldErrors[key]);

  /** The API body the form holds (without sourceId), or null when a JSON field is not JSON (shown at it). */
  function formBody(): Record<string, unknown> | null {
    const json: Record<string, unknown> = {};
    const wrong: typeof jsonErrors = {};
    for (const key of JSON_FIELDS) {
      const parsed = jsonField(f[key]);
      if (!parsed.ok) wrong[key] = parsed.message;
      else json[key] = parsed.value ?? (key === "conditions" ? [] : null);
    }
    setJsonErrors(wrong);
    if (Object.keys(wrong).length > 0) return null;
    const priority = Number(f.priority);
    return {
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
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = formBody();
    if (!body) return save.reset();
    save.mutate(mapping ? body : { ...body, sourceId });
  }

  // What-if: the form as it stands, over the source's recent events, before saving.
  const preview = useApiMutation({
    mutationFn: (draft: Record<string, unknown>) =>
      mapping
        ? apiFetch<WhatIfResultDto>("POST", `/api/v1/inbound-mappings/${encodeURIComponent(mapping.id)}/what-if`, { draft })
        : apiFetch<WhatIfResultDto>("POST", `/api/v1/inbound-sources/${encodeURIComponent(sourceId)}/what-if`, { draft }),
  });

  const text = (id: keyof typeof f, label: string, opts: { required?: boolean; placeholder?: string; mono?: boolean; hint?: string } = {}) => (
    <Field label={label} error={errorAt(id)} hint={opts.hint}>
      {(p) => (
        <input
          {...p}
          value={String(f[id])}
          onChange={set(id)}
          required={opts.required}
          placeholder={opts.placeholder}
          className={opts.mono ? "mono" : undefined}
        />
      )}
    </Field>
  );
  const area = (id: keyof typeof f, label: string, rows: number) => (
    <JsonEditor
      label={label}
      path={id === "payloadSchema" ? "mapping/payload-schema.json" : `mapping/${id}.json`}
      value={String(f[id])}
      onChange={(value) => setF((current) => ({ ...current, [id]: value }))}
      rows={rows + 2}
      error={errorAt(id)}
    />
  );

  return (
    <form className="form wide-form" onSubmit={submit} aria-label={mapping ? "Edit mapping" : "New mapping"}>
      {text("title", "Title (default: resource type.action)")}
      {text("resourceType", "Resource type", { required: true, placeholder: "payment" })}
      <Field label="Action">
        {(p) => (
          <select {...p} value={f.actionMode} onChange={set("actionMode")}>
            <option value="fixed">a fixed name</option>
            <option value="path">read from the payload</option>
          </select>
        )}
      </Field>
      {f.actionMode === "fixed"
        ? text("action", "Action name", { required: true, placeholder: "succeeded" })
        : text("actionPath", "Action path", { required: true, placeholder: "type", mono: true })}
      {text("priority", "Priority (higher is tried first)")}
      <label className="checkbox">
        <input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.target.checked })} /> Active
      </label>
      {area("conditions", 'Conditions (JSON array of { "path", "op", "value" }; all must pass)', 5)}
      {text("resourceIdPath", "Resource id path", {
        required: true,
        placeholder: "data.object.id",
        mono: true,
        hint: "Every path reads the body (data.object.id, items[0].sku) or the request: $headers.x-github-event, $query.tenant.",
      })}
      {text("idempotencyPath", "Idempotency path (optional: deduplicates)", {
        placeholder: "id",
        mono: true,
        hint: suggestedIdempotency
          ? `Suggested for ${preset}: ${suggestedIdempotency}, where it names the delivery, so its redeliveries are duplicates.`
          : "A path into the body, or $headers.<name> / $query.<name> to read the request.",
      })}
      {text("schemaRootPath", "Schema root path (optional)", { placeholder: "data.object", mono: true })}
      {area("fieldMappings", 'Field mappings (JSON object { "field": "path" }; empty: the whole payload)', 4)}
      {area("metadataPaths", 'Metadata paths (JSON object { "name": "path" }, stored as "_name")', 3)}
      {area("payloadSchema", "Payload schema (JSON Schema at the schema root, optional)", 6)}
      <ProblemBox problem={save.problemBeyond([...TEXT_FIELDS, ...JSON_FIELDS])} />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={save.isPending || save.isSuccess} busyLabel="Saving…">
          {mapping ? "Save mapping" : "Create mapping"}
        </Button>
        <Button
          onClick={() => {
            const body = formBody();
            if (body) preview.mutate(body);
          }}
          busy={preview.isPending}
          busyLabel="Running…"
        >
          Preview on recent events
        </Button>
      </div>
      {preview.problem ? <ProblemBox problem={preview.problem} /> : null}
      {preview.data ? <WhatIfResult result={preview.data} /> : null}
    </form>
  );
}
