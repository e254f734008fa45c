"use client";
// Creating and editing a source (POST /api/v1/inbound-sources, PATCH …/:id). The secret
// is write-only: on edit an empty field keeps the stored one, and it is never shown.
// Every verification setting is a field prefilled from the stored one, because a
// `verification` object replaces them all: rotating the secret keeps the rest.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { jsonField, ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { JsonEditor } from "@/components/ui/json-editor";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { SourceDto } from "@/lib/schemas/sources";
import { apiFetch } from "@/lib/ui/api-fetch";
import { VERIFICATION_PRESETS, type VerificationPreset } from "@/lib/inbound/types";
import { verificationBody, verificationChanged, verificationFieldsOf, withPreset, type VerificationFields } from "./verification-fields";

const NONE = "none";

export function SourceForm({ source }: { source?: SourceDto }) {
  const router = useRouter();
  const [title, setTitle] = useState(source?.title ?? "");
  const [mnemonic, setMnemonic] = useState(source?.mnemonic ?? "");
  const [description, setDescription] = useState(source?.description ?? "");
  const [active, setActive] = useState(source?.active ?? true);
  const [preset, setPreset] = useState<string>(source ? (source.verification?.preset ?? NONE) : "stripe");
  const [v, setV] = useState<VerificationFields>(() => verificationFieldsOf(source?.verification));
  const [secret, setSecret] = useState("");
  const [schema, setSchema] = useState(source?.payloadSchema ? JSON.stringify(source.payloadSchema, null, 2) : "");
  const [schemaError, setSchemaError] = useState<string | null>(null);
  const save = useApiMutation({
    mutationFn: (body: Record<string, unknown>) =>
      source
        ? apiFetch<SourceDto>("PATCH", `/api/v1/inbound-sources/${encodeURIComponent(source.id)}`, body)
        : apiFetch<SourceDto>("POST", "/api/v1/inbound-sources", body),
    success: (r) => (source ? `Saved ${r.title}` : `Created ${r.title}`),
    // The source's page is server-rendered: navigating there loads it fresh.
    onSuccess: (r) => router.push(`/sources/${r.id}`),
  });
  const errors = save.fieldErrors;

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = jsonField(schema);
    setSchemaError(parsed.ok ? null : parsed.message);
    if (!parsed.ok) return save.reset();
    // On edit only what the operator changed is sent (PATCH keeps omitted fields), so an
    // edit never rewrites a stored value it merely displayed.
    const changed = (now: unknown, before: unknown) => !source || JSON.stringify(now) !== JSON.stringify(before);
    const body: Record<string, unknown> = {};
    if (changed(title, source?.title)) body.title = title;
    if (changed(mnemonic, source?.mnemonic)) body.mnemonic = mnemonic;
    if (changed(description, source?.description ?? "")) body.description = description.trim() || null;
    if (changed(parsed.value ?? null, source?.payloadSchema ?? null)) body.payloadSchema = parsed.value ?? null;
    if (source && active !== source.active) body.active = active;
    if (preset === NONE) {
      if (!source || source.verification) body.verification = null;
    } else if (!source || secret !== "" || verificationChanged(source.verification, v)) {
      const settings = verificationBody(v);
      body.verification = secret === "" ? settings : { ...settings, secret };
    }
    save.mutate(body);
  }

  return (
    <form className="form wide-form" onSubmit={submit} aria-label={source ? "Edit source" : "New source"}>
      <Field label="Title" error={errors.title}>
        {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />}
      </Field>
      <Field label="Mnemonic (in the inbound URL)" error={errors.mnemonic}>
        {(p) => <input {...p} value={mnemonic} onChange={(e) => setMnemonic(e.target.value)} required className="mono" />}
      </Field>
      <Field label="Description" error={errors.description}>
        {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />}
      </Field>
      {source ? (
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Active (inactive sources answer
          404)
        </label>
      ) : null}
      <div className="field">
        <label htmlFor="source-preset">Signature verification</label>
        <select
          id="source-preset"
          value={preset}
          onChange={(e) => {
            setPreset(e.target.value);
            if (e.target.value !== NONE) {
              // Back to the stored preset: its stored settings; another: that preset's defaults.
              const stored = source?.verification;
              setV(stored && stored.preset === e.target.value ? verificationFieldsOf(stored) : withPreset(v, e.target.value as VerificationPreset));
            }
          }}
        >
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
      {preset === "hmac" ? (
        <>
          <div className="field">
            <label htmlFor="source-header">Signature header (default X-Signature)</label>
            <input id="source-header" value={v.header} onChange={(e) => setV({ ...v, header: e.target.value })} placeholder="X-Signature" className="mono" />
          </div>
          <div className="field">
            <label htmlFor="source-prefix">Signature prefix (stripped before comparing, optional)</label>
            <input id="source-prefix" value={v.prefix} onChange={(e) => setV({ ...v, prefix: e.target.value })} placeholder="sha256=" className="mono" />
          </div>
          <div className="field">
            <label htmlFor="source-algorithm">Algorithm</label>
            <select id="source-algorithm" value={v.algorithm} onChange={(e) => setV({ ...v, algorithm: e.target.value as VerificationFields["algorithm"] })}>
              <option value="sha256">sha256</option>
              <option value="sha512">sha512</option>
              <option value="sha1">sha1</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="source-encoding">Encoding</label>
            <select id="source-encoding" value={v.encoding} onChange={(e) => setV({ ...v, encoding: e.target.value as VerificationFields["encoding"] })}>
              <option value="hex">hex</option>
              <option value="base64">base64</option>
            </select>
          </div>
        </>
      ) : preset !== NONE ? (
        <p className="muted">The {preset} preset fixes the signature header, prefix, algorithm and encoding.</p>
      ) : null}
      {preset !== NONE ? (
        <>
          <div className="field">
            <label htmlFor="source-timestamp-field">Timestamp field (payload path for replay protection, optional)</label>
            <input
              id="source-timestamp-field"
              value={v.timestampField}
              onChange={(e) => setV({ ...v, timestampField: e.target.value })}
              placeholder="created"
              className="mono"
            />
          </div>
          <div className="field">
            <label htmlFor="source-replay-tolerance">Replay tolerance (seconds; empty: the preset&apos;s default)</label>
            <input
              id="source-replay-tolerance"
              inputMode="numeric"
              value={v.replayTolerance}
              onChange={(e) => setV({ ...v, replayTolerance: e.target.value })}
              className="mono"
            />
          </div>
        </>
      ) : null}
      <JsonEditor
        label="Payload schema (JSON Schema, optional)"
        path="source/payload-schema.json"
        value={schema}
        onChange={setSchema}
        rows={10}
        error={schemaError ?? errors.payloadSchema}
      />
      <ProblemBox problem={save.problemBeyond(["title", "mnemonic", "description", "payloadSchema"])} />
      <div>
        <Button type="submit" variant="primary" busy={save.isPending || save.isSuccess} busyLabel="Saving…">
          {source ? "Save source" : "Create source"}
        </Button>
      </div>
    </form>
  );
}
