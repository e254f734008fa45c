"use client";
// What the console's forms share: a JSON call to the management API with the session,
// the API's error and details shown as the user's to fix, and JSON fields in textareas
// checked before anything is sent.
import type { ReactNode } from "react";

export type Problem = { error: string; details: { path: string; message: string }[] };
export type CallResult<T> = { ok: true; body: T } | { ok: false; problem: Problem };

export async function callApi<T = Record<string, unknown>>(
  method: "POST" | "PATCH" | "DELETE",
  url: string,
  body?: unknown,
): Promise<CallResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 204) return { ok: true, body: {} as T };
    const json = (await res.json().catch(() => null)) as (T & Partial<Problem>) | null;
    if (res.ok && json) return { ok: true, body: json };
    return { ok: false, problem: { error: json?.error ?? `HTTP ${res.status}`, details: json?.details ?? [] } };
  } catch (err) {
    return {
      ok: false,
      problem: { error: `The server could not be reached (${err instanceof Error ? err.message : String(err)})`, details: [] },
    };
  }
}

/** A JSON textarea's value: undefined when empty (and allowed), else the parsed value or a problem. */
export function jsonField(label: string, text: string): { ok: true; value: unknown } | { ok: false; problem: Problem } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return {
      ok: false,
      problem: {
        error: `${label} is not valid JSON`,
        details: [{ path: label, message: err instanceof Error ? err.message : String(err) }],
      },
    };
  }
}

export function ProblemBox({ problem }: { problem: Problem | null }): ReactNode {
  if (!problem) return null;
  return (
    <div className="form-error" role="alert" data-testid="form-problem">
      <strong>{problem.error}</strong>
      {problem.details.length > 0 ? (
        <ul>
          {problem.details.map((d, i) => (
            <li key={i}>
              <code className="mono">{d.path || "/"}</code> {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Deletes after the browser's confirmation, then goes to `after`. */
export function DeleteButton({
  url,
  what,
  after,
  label = "Delete",
}: {
  url: string;
  what: string;
  after: string;
  label?: string;
}) {
  return (
    <button
      type="button"
      className="button button-danger"
      onClick={async () => {
        if (!window.confirm(`${label} ${what}? This cannot be undone.`)) return;
        const r = await callApi("DELETE", url);
        if (r.ok) window.location.assign(after);
        else window.alert(`${label} refused: ${r.problem.error}`);
      }}
    >
      {label}
    </button>
  );
}
