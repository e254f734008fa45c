// How a package version's status reads wherever it is shown (providerflow.md §5): the
// status itself, and "Prod revalidation pending" until it has been approved, applied and
// revalidated (the API's prodRevalidation).
import { StatusBadge } from "@/components/ui/status-badge";
import type { FlowVersionDto } from "@/lib/schemas/providerflow";

type Status = FlowVersionDto["status"];

export const STATUS_LABEL: Record<Status, string> = {
  draft: "Draft",
  "sandbox-validated": "Sandbox-validated",
  approved: "Approved",
  "prod-revalidated": "Prod-revalidated",
};


/** The status, and the production revalidation's state: "pending" until approved and applied. */
export function VersionStatus({ version }: { version: Pick<FlowVersionDto, "status" | "prodRevalidation"> }) {
  return (
    <span className="badge-row">
      <StatusBadge status={version.status} label={STATUS_LABEL[version.status]} testId="version-status" />
      {version.prodRevalidation === "pending" ? (
        <StatusBadge status="pending" label="Prod revalidation pending" testId="prod-pending" />
      ) : version.prodRevalidation === "failed" ? (
        <StatusBadge status="failed" label="Prod revalidation failed" />
      ) : null}
    </span>
  );
}
