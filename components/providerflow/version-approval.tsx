"use client";
// What changes on a package version's page when someone approves it: the status badge,
// the lifecycle with the approve form, and the approval history. They read one
// react-query query (the version, GET /api/v1/providerflow/versions/:id, prefetched by
// the page); an approval invalidates it, so all three change together without a reload.
// The flow editor's approve form is the same component.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { DataTable } from "@/components/ui/table";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { FlowVersionDetailDto, FlowVersionDto } from "@/lib/schemas/providerflow";
import { apiFetch } from "@/lib/ui/api-fetch";
import { formatDateTime } from "@/lib/ui/format";
import { queryKeys } from "@/lib/ui/query-keys";
import { STATUS_LABEL, VersionStatus } from "./status";

const LIFECYCLE = ["draft", "sandbox-validated", "approved", "prod-revalidated"] as const;

export function versionQuery(id: string) {
  return {
    queryKey: queryKeys.flowVersions.detail(id),
    queryFn: () => apiFetch<FlowVersionDetailDto>("GET", `/api/v1/providerflow/versions/${encodeURIComponent(id)}`),
  };
}

export function LiveVersionStatus({ id }: { id: string }) {
  const { data } = useQuery(versionQuery(id));
  return data ? <VersionStatus version={data} /> : null;
}

export function VersionLifecycle({ id, mayApprove, orgSlug }: { id: string; mayApprove: boolean; orgSlug: string }) {
  const { data: version } = useQuery(versionQuery(id));
  if (!version) return null;
  const reached = LIFECYCLE.indexOf(version.status);
  return (
    <>
      <ol className="lifecycle">
        {LIFECYCLE.map((s, i) => (
          <li key={s} className={i <= reached ? "done" : ""} aria-current={i === reached ? "step" : undefined}>
            {STATUS_LABEL[s]}
          </li>
        ))}
      </ol>
      {version.status === "draft" ? (
        <p className="small">
          A draft cannot be approved: its contract, scans or fixtures below say what failed. Fix the package and upload it again;
          the new content gets a new digest.
        </p>
      ) : null}
      {version.status === "sandbox-validated" && mayApprove ? <ApproveForm version={version} /> : null}
      {version.status === "sandbox-validated" && !mayApprove ? (
        <p className="small">Waiting for a reviewer or admin to approve it (operators write configuration; they do not sign it off).</p>
      ) : null}
      {version.status === "approved" ? (
        <p className="small">
          Approved. Apply it from the <a href={`/flows/${version.package}`}>flow editor</a> or with{" "}
          <code>npx providerflow apply &lt;dir&gt; --org {orgSlug}</code>; every fixture is then re-run against the applied
          configuration.
        </p>
      ) : null}
    </>
  );
}

export function ApprovalHistory({ id }: { id: string }) {
  const { data: version } = useQuery(versionQuery(id));
  if (!version) return null;
  return version.approvals.length === 0 ? (
    <p className="empty">Not approved.</p>
  ) : (
    <DataTable columns={["Approved by", "When (UTC)", "Digest", "Note"]} testId="approvals-table">
      {version.approvals.map((a, i) => (
        <tr key={i}>
          <td>
            {a.approvedBy} <span className="muted small">({a.role})</span>
          </td>
          <td className="nowrap">{formatDateTime(a.createdAt)}</td>
          <td className="mono small">{a.digest.slice(0, 12)}</td>
          <td>{a.note ?? "—"}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** A reviewer's approval of exactly the digest on screen, with an optional note for the history. */
export function ApproveForm({ version, onApproved }: { version: Pick<FlowVersionDto, "id" | "digest" | "version">; onApproved?: () => void }) {
  const [note, setNote] = useState("");
  const approve = useApiMutation({
    mutationFn: (body: { note?: string }) =>
      apiFetch<FlowVersionDto>("POST", `/api/v1/providerflow/versions/${encodeURIComponent(version.id)}/approve`, body),
    invalidates: [queryKeys.flowVersions.all],
    success: `Approved ${version.version} (${version.digest.slice(0, 12)})`,
    onSuccess: () => {
      setNote("");
      onApproved?.();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    approve.mutate(note.trim() ? { note: note.trim() } : {});
  }
  return (
    <form className="form approve-form" onSubmit={submit} aria-label="Approve this version">
      <p className="small muted">
        You approve digest <code className="mono">{version.digest.slice(0, 12)}</code>… exactly; any change to the package makes a
        new version that needs its own approval.
      </p>
      <Field label="Note for the approval history (optional)" error={approve.fieldErrors.note}>
        {(p) => <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={2} disabled={approve.isPending} />}
      </Field>
      <ProblemBox problem={approve.problemBeyond(["note"])} />
      <div>
        <Button type="submit" variant="primary" busy={approve.isPending} busyLabel="Approving…">
          Approve this digest
        </Button>
      </div>
    </form>
  );
}
