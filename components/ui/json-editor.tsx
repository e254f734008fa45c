"use client";
// A JSON field edited in Monaco (the console's JSON Schemas, field mappings, conditions
// and test payloads): syntax highlighting, bracket matching, folding, JSON errors inline,
// and for JSON Schemas (a path ending in payload-schema.json) the meta-schema's checks.
// The label names the editor for assistive technology (Monaco's textarea aria-label).
import { useId } from "react";
import { CodeEditor } from "@/components/flows/code-editor";

export function JsonEditor({
  label,
  value,
  onChange,
  path,
  rows = 8,
  disabled,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** A virtual file name: it picks the schema Monaco checks the text with. */
  path: string;
  rows?: number;
  disabled?: boolean;
  /** What is wrong with the text (its JSON, or the API's detail for this field). */
  error?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <span className="field-label" id={id}>
        {label}
      </span>
      <div
        className={error ? "json-editor json-editor-invalid" : "json-editor"}
        style={{ height: `${Math.max(4, rows) * 1.45 + 1}rem` }}
        aria-labelledby={id}
        aria-describedby={error ? `${id}-error` : undefined}
        role="group"
      >
        <CodeEditor path={path} value={value} onChange={onChange} markers={[]} label={label} readOnly={disabled} />
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
