// /sources/:id/edit — change a source, rotate its secret, or delete it.
import { DangerZone, PageHead } from "@/components/ui/page-head";
import { SourceForm } from "@/components/sources/source-form";
import { DeleteButton } from "@/components/ui/api-call";
import { NotAllowed } from "@/components/ui/not-allowed";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { getSource } from "@/lib/store/sources";
import { ManagedWarning } from "@/components/flows/managed-mark";
import { managingPackage } from "@/lib/flows/managed";
import { orNotFound } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

export default async function EditSourcePage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const source = await orNotFound(getSource(session.orgId, id));
  const mayWrite = hasRole(session, "operator");
  const pkg = await managingPackage(session.orgId, "source", source.id);
  return (
    <div className="stack">
      <PageHead back={{ href: `/sources/${source.id}`, label: source.title }} title="Edit source" />
      {pkg && mayWrite ? <ManagedWarning pkg={pkg} what="source" /> : null}
      <section className="card">{mayWrite ? <SourceForm source={source} /> : <NotAllowed what="change sources" />}</section>
      {mayWrite ? (
        <DangerZone note="its mappings and events go with it; interactions stay">
          <DeleteButton
            url={`/api/v1/inbound-sources/${source.id}`}
            what={`the source "${source.title}"`}
            after="/sources"
            consequence="Its mappings and events go with it; interactions stay"
          />
        </DangerZone>
      ) : null}
    </div>
  );
}
