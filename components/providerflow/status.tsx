// How a package version's status reads wherever it is shown (providerflow.md §5): the
// status itself, and "Prod revalidation pending" until it has been approved, applied and
// revalidated (the API's prodRevalidation).
import type { FlowVersionDto } from "@/lib/api/schemas/providerflow";

type Status = FlowVersionDto["status"];

export const STATUS_LABEL: Record<Status, string> = {
  draft: "Draft",
  "sandbox-validated": "Sandbox-validated",
  approved: "Approved",
  "prod-revalidated": "Prod-revalidated",
};

const STATUS_CLASS: Record<Status, string> = {
  draft: "status-failed",
  "sandbox-validated": "status-queued",
  approved: "status-processed",
  "prod-revalidated": "status-processed",
};

/** The status, and the production revalidation's state: "pending" until approved and applied. */
export function VersionStatus({ version }: { version: Pick<FlowVersionDto, "status" | "prodRevalidation"> }) {
  return (
    <span className="badge-row">
      <span className={`badge ${STATUS_CLASS[version.status]}`} data-testid="version-status">
        {STATUS_LABEL[version.status]}
      </span>
      {version.prodRevalidation === "pending" ? (
        <span className="badge status-unmatched" data-testid="prod-pending">
          Prod revalidation pending
        </span>
      ) : version.prodRevalidation === "failed" ? (
        <span className="badge status-failed">Prod revalidation failed</span>
      ) : null}
    </span>
  );
}
