// /flows/:name — the package editor: files, Monaco, the live DAG and the lifecycle.
import { notFound } from "next/navigation";
import { FlowEditorClient } from "@/components/flows/flow-editor-client";
import { PageHead } from "@/components/ui/page-head";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { latestForEditor } from "@/lib/flows/workbench";
import { NAME_RE } from "@/providerflow/init";

export const dynamic = "force-dynamic";

export default async function FlowEditorPage({ params }: { params: Promise<{ name: string }> }) {
  const session = await requireSession();
  const { name } = await params;
  if (!NAME_RE.test(name)) notFound();
  const stored = await latestForEditor(session.orgId, name);
  return (
    <div className="stack stack-wide">
      <PageHead back={{ href: "/flows", label: "Flows" }} title={name} />
      <FlowEditorClient org={session.orgSlug} name={name} stored={stored} mayWrite={hasRole(session, "operator")} />
    </div>
  );
}
