"use client";
// What the console's forms share besides useApiMutation: a JSON field's text checked
// before anything is sent, the API's problem shown as the user's to fix, and the delete
// button of an edit page (a confirmation dialog, then the delete, then where to go).
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { Button } from "./button";
import { useConfirm } from "./dialog";
import { useApiMutation } from "./use-api-mutation";
import { apiFetch } from "@/lib/ui/api-fetch";

export type Problem = { error: string; details: { path: string; message: string }[] };

/** A JSON field's value: undefined when empty (and allowed), else the parsed value or what is wrong with it. */
export function jsonField(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
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

/** Deletes after a confirmation dialog, then goes to `after` (a server-rendered page, loaded fresh). */
export function DeleteButton({ url, what, after, consequence }: { url: string; what: string; after: string; consequence?: string }) {
  const router = useRouter();
  const confirm = useConfirm();
  const remove = useApiMutation({
    mutationFn: () => apiFetch<void>("DELETE", url),
    success: `Deleted ${what}`,
    onSuccess: () => router.push(after),
  });
  return (
    <span className="replay">
      <Button
        variant="danger"
        busy={remove.isPending || remove.isSuccess}
        busyLabel="Deleting…"
        onClick={async () => {
          const ok = await confirm({
            title: `Delete ${what}?`,
            body: <p>{consequence ? `${consequence}. ` : ""}This cannot be undone.</p>,
            confirmLabel: "Delete",
            danger: true,
          });
          if (ok) remove.mutate(undefined);
        }}
      >
        Delete
      </Button>
      {remove.problem ? (
        <span className="form-error" role="alert">
          Delete refused: {remove.problem.error}
        </span>
      ) : null}
    </span>
  );
}
