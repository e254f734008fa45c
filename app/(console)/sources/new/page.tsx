// /sources/new — a new source: where a provider will send webhooks and how they are verified.
import { PageHead } from "@/components/ui/page-head";
import { SourceForm } from "@/components/sources/source-form";
import { NotAllowed } from "@/components/ui/not-allowed";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";

export const dynamic = "force-dynamic";

export default async function NewSourcePage() {
  const session = await requireSession();
  return (
    <div className="stack">
      <PageHead back={{ href: "/sources", label: "Sources" }} title="New source" />
      <section className="card">{hasRole(session, "operator") ? <SourceForm /> : <NotAllowed what="create sources" />}</section>
    </div>
  );
}
