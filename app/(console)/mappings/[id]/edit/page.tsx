// /mappings/:id/edit — change a mapping, or delete it.
import { DangerZone, PageHead } from "@/components/ui/page-head";
import { MappingForm } from "@/components/mappings/mapping-form";
import { DeleteButton } from "@/components/ui/api-call";
import { NotAllowed } from "@/components/ui/not-allowed";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { getMapping } from "@/lib/store/mappings";
import { ManagedWarning } from "@/components/flows/managed-mark";
import { managingPackage } from "@/lib/flows/managed";
import { orNotFound } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

export default async function EditMappingPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const mapping = await orNotFound(getMapping(session.orgId, id));
  const mayWrite = hasRole(session, "operator");
  const pkg = await managingPackage(session.orgId, "mapping", mapping.id);
  return (
    <div className="stack">
      <PageHead back={{ href: `/mappings/${mapping.id}`, label: mapping.title }} title="Edit mapping" />
      {pkg && mayWrite ? <ManagedWarning pkg={pkg} what="mapping" /> : null}
      <section className="card">
        {mayWrite ? <MappingForm sourceId={mapping.sourceId} mapping={mapping} /> : <NotAllowed what="change mappings" />}
      </section>
      {mayWrite ? (
        <DangerZone note="events already processed keep their interactions">
          <DeleteButton
            url={`/api/v1/inbound-mappings/${mapping.id}`}
            what={`the mapping "${mapping.title}"`}
            after={`/sources/${mapping.sourceId}`}
            consequence="Events already processed keep their interactions"
          />
        </DangerZone>
      ) : null}
    </div>
  );
}
