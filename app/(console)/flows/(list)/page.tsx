// /flows — the org's ProviderFlow packages by name (latest version and status), drafts
// in this browser, New package from a provider preset's template, and Import.
import { FlowsHome } from "@/components/flows/flows-home";
import { PageHead } from "@/components/ui/page-head";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { listPackages } from "@/lib/flows/workbench";

export const dynamic = "force-dynamic";

export default async function FlowsPage() {
  const session = await requireSession();
  const packages = await listPackages(session.orgId);
  return (
    <div className="stack">
      <PageHead title="Flows">
        <p className="muted">
          ProviderFlow packages: configuration as code, edited here with its live graph, tested in the sandbox, reviewed and applied.
        </p>
      </PageHead>
      <FlowsHome org={session.orgSlug} packages={packages} mayWrite={hasRole(session, "operator")} />
    </div>
  );
}
