// /topology — the whole org as one graph: sources → mappings → targets with the routes,
// objects a ProviderFlow package manages boxed under it, live counts on the edges.
import { TopologyView } from "@/components/flows/topology-view";
import { PageHead } from "@/components/ui/page-head";
import { requireSession } from "@/lib/auth/current-session";
import { orgTopology } from "@/lib/flows/topology";

export const dynamic = "force-dynamic";

export default async function TopologyPage() {
  const session = await requireSession();
  const topology = await orgTopology(session.orgId);
  return (
    <div className="stack">
      <PageHead title="Topology">
        <p className="muted">
          Every source, mapping and target of {session.orgSlug}, with the routes between them. Counts are for the last hour; click a
          node to open it.
          {topology.truncated ? " Only the first 300 objects of each kind are drawn." : ""}
        </p>
      </PageHead>
      {topology.nodes.length === 0 ? (
        <p className="card empty">Nothing to draw yet: create a source, or apply a package from Flows.</p>
      ) : (
        <TopologyView topology={topology} />
      )}
    </div>
  );
}
