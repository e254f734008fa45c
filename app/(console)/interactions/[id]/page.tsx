// /interactions/:id — one interaction: what it is (resource, action, mapped object), the
// event it came from, and its deliveries to targets with every attempt.
import { StatusBadge } from "@/components/ui/status-badge";
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { DataTable } from "@/components/ui/table";
import { requireSession } from "@/lib/auth/current-session";
import { listDeliveries } from "@/lib/store/deliveries";
import { getInteraction } from "@/lib/store/interactions";
import { getTarget } from "@/lib/store/targets";
import { formatDateTime } from "@/lib/ui/format";
import { orNotFound } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

const MAX_DELIVERIES = 100;

export default async function InteractionPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const interaction = await orNotFound(getInteraction(session.orgId, id));
  const deliveries = await listDeliveries(session.orgId, { interactionId: interaction.id, limit: MAX_DELIVERIES });
  const targetIds = [...new Set(deliveries.data.map((d) => d.targetId))];
  const targets = new Map(
    await Promise.all(targetIds.map(async (t) => [t, await getTarget(session.orgId, t).catch(() => null)] as const)),
  );

  return (
    <div className="stack">
      <PageHead
        back={{ href: "/interactions", label: "Interactions" }}
        title={
          <>
            {interaction.resourceType} <span className="muted">{interaction.action}</span>
          </>
        }
      >
        <p className="small muted">
          Resource <code className="mono">{interaction.resourceId}</code>
          {interaction.idempotencyKey ? (
            <>
              , idempotency key <code className="mono">{interaction.idempotencyKey}</code>
            </>
          ) : null}
          , created {formatDateTime(interaction.createdAt)} UTC from event{" "}
          <Link href={`/events/${interaction.eventId}`}>{interaction.eventId}</Link>.
        </p>
      </PageHead>

      <section className="card" aria-labelledby="object-heading">
        <div className="card-head">
          <h2 id="object-heading">Object</h2>
          <span className="muted small">mapped fields, with the &quot;_&quot; metadata keys</span>
        </div>
        <pre className="trace-detail body-view" data-testid="interaction-object">
          {JSON.stringify(interaction.object, null, 2)}
        </pre>
      </section>

      <section className="card" aria-labelledby="deliveries-heading">
        <div className="card-head">
          <h2 id="deliveries-heading">Deliveries</h2>
          <span className="muted small">one per route of its mapping; the delivery id is the webhook-id header</span>
        </div>
        {deliveries.data.length === 0 ? (
          <p className="empty">No deliveries: the mapping routes to no target.</p>
        ) : (
          <DataTable columns={["Target", "Status", "Attempts", "Next attempt (UTC)"]} testId="deliveries-table">
            {deliveries.data.map((d) => {
              const target = targets.get(d.targetId);
              return (
                <tr key={d.id}>
                  <td>
                    <div className="cell-title">{target?.name ?? "deleted target"}</div>
                    <div className="muted small mono">{d.id}</div>
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>
                    {d.attempts.length === 0 ? (
                      "none yet"
                    ) : (
                      <ol className="attempts small">
                        {d.attempts.map((a, i) => (
                          <li key={i}>
                            {formatDateTime(a.at)}: {a.status !== undefined ? `HTTP ${a.status}` : "no response"}
                            {a.error ? ` — ${a.error}` : ""} ({Math.round(a.ms)} ms)
                          </li>
                        ))}
                      </ol>
                    )}
                  </td>
                  <td className="nowrap">{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : "—"}</td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </section>
    </div>
  );
}
