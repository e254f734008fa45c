"use client";
// Creating and editing a source (POST /api/v1/inbound-sources, PATCH …/:id). The secret
// is write-only: on edit an empty field keeps the stored one, and it is never shown.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { callApi, jsonField, ProblemBox, type Problem } from "@/components/ui/api-call";
import type { SourceDto } from "@/lib/api/schemas/sources";
import { VERIFICATION_PRESETS } from "@/lib/inbound/types";
import { NO_VERIFICATION as NONE, sourceRequestBody } from "@/lib/ui/source-request";

export function SourceForm({ source }: { source?: SourceDto }) {
  const router = useRouter();
  const [title, setTitle] = useState(source?.title ?? "");
  const [mnemonic, setMnemonic] = useState(source?.mnemonic ?? "");
  const [description, setDescription] = useState(source?.description ?? "");
  const [active, setActive] = useState(source?.active ?? true);
  const [preset, setPreset] = useState<string>(source ? (source.verification?.preset ?? NONE) : "stripe");
  const [secret, setSecret] = useState("");
  const [schema, setSchema] = useState(source?.payloadSchema ? JSON.stringify(source.payloadSchema, null, 2) : "");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = jsonField("Payload schema", schema);
    if (!parsed.ok) return setProblem(parsed.problem);
    const body = sourceRequestBody(source, { title, mnemonic, description, active, preset, secret, payloadSchema: parsed.value });
    setBusy(true);
    setProblem(null);
    const r = source
      ? await callApi<SourceDto>("PATCH", `/api/v1/inbound-sources/${source.id}`, body)
      : await callApi<SourceDto>("POST", "/api/v1/inbound-sources", body);
    setBusy(false);
    if (!r.ok) return setProblem(r.problem);
    router.push(`/sources/${r.body.id}`);
    router.refresh();
  }

  return (
    <form className="form wide-form" onSubmit={submit} aria-label={source ? "Edit source" : "New source"}>
      <div className="field">
        <label htmlFor="source-title">Title</label>
        <input id="source-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="source-mnemonic">Mnemonic (in the inbound URL)</label>
        <input id="source-mnemonic" value={mnemonic} onChange={(e) => setMnemonic(e.target.value)} required className="mono" />
      </div>
      <div className="field">
        <label htmlFor="source-description">Description</label>
        <input id="source-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
      </div>
      {source ? (
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Active (inactive sources answer
          404)
        </label>
      ) : null}
      <div className="field">
        <label htmlFor="source-preset">Signature verification</label>
        <select id="source-preset" value={preset} onChange={(e) => setPreset(e.target.value)}>
          {VERIFICATION_PRESETS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
          <option value={NONE}>none (anyone with the URL can send)</option>
        </select>
      </div>
      {preset !== NONE ? (
        <div className="field">
          <label htmlFor="source-secret">
            {source?.verification ? `Secret (stored: ${source.verification.secretHint}; leave empty to keep it)` : "Secret"}
          </label>
          <input
            id="source-secret"
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            required={!source?.verification || preset !== source.verification.preset}
            className="mono"
          />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="source-schema">Payload schema (JSON Schema, optional)</label>
        <textarea
          id="source-schema"
          className="code-input"
          rows={8}
          value={schema}
          onChange={(e) => setSchema(e.target.value)}
          spellCheck={false}
        />
      </div>
      <ProblemBox problem={problem} />
      <div>
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? "Saving…" : source ? "Save source" : "Create source"}
        </button>
      </div>
    </form>
  );
}
