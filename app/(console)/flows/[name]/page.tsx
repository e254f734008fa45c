// /flows/:name — the package editor: files, Monaco, the live DAG and the lifecycle.
import { HydrationBoundary } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { FlowEditorClient } from "@/components/flows/flow-editor-client";
import { PageHead } from "@/components/ui/page-head";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { latestForEditor } from "@/lib/flows/workbench";
import { getVersion } from "@/lib/flows/versions";
import { prefetch } from "@/lib/ui/prefetch";
import { queryKeys } from "@/lib/ui/query-keys";
import { NAME_RE } from "@/providerflow/init";

export const dynamic = "force-dynamic";

export default async function FlowEditorPage({ params }: { params: Promise<{ name: string }> }) {
  const session = await requireSession();
  const { name } = await params;
  if (!NAME_RE.test(name)) notFound();
  const stored = await latestForEditor(session.orgId, name);
  // The latest version's status and approvals, for the editor's version panel.
  const state = await prefetch(stored ? [{ queryKey: queryKeys.flowVersions.detail(stored.versionId), load: () => getVersion(session.orgId, stored.versionId) }] : []);
  return (
    <div className="stack stack-wide">
      <PageHead back={{ href: "/flows", label: "Flows" }} title={name} />
      <HydrationBoundary state={state}>
        <FlowEditorClient
          org={session.orgSlug}
          name={name}
          stored={stored}
          mayWrite={hasRole(session, "operator")}
          mayApprove={session.role === "reviewer" || session.role === "admin"}
        />
      </HydrationBoundary>
    </div>
  );
}
