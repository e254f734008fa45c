// /sources/:id/mappings/new — a new mapping for this source's events.
import { PageHead } from "@/components/ui/page-head";
import { MappingForm } from "@/components/mappings/mapping-form";
import { NotAllowed } from "@/components/ui/not-allowed";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { getSource } from "@/lib/store/sources";
import { orNotFound } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

export default async function NewMappingPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const source = await orNotFound(getSource(session.orgId, id));
  return (
    <div className="stack">
      <PageHead back={{ href: `/sources/${source.id}`, label: source.title }} title={<>New mapping for {source.title}</>} />
      <section className="card">
        {hasRole(session, "operator") ? <MappingForm sourceId={source.id} preset={source.verification?.preset ?? null} /> : <NotAllowed what="create mappings" />}
      </section>
    </div>
  );
}
