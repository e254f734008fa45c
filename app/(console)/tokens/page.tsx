// /tokens — the org's API tokens (admins only): who may call the management API, with
// which role, and when each was last used. Tokens are shown once, at creation.
import { TokenForm } from "@/components/tokens/token-form";
import { DeleteButton } from "@/components/ui/api-call";
import { NotAllowed } from "@/components/ui/not-allowed";
import { PageHead } from "@/components/ui/page-head";
import { DataTable } from "@/components/ui/table";
import { requireSession } from "@/lib/auth/current-session";
import { listApiTokens } from "@/lib/store/api-tokens";
import { formatDateTime } from "@/lib/ui/format";

export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const session = await requireSession();
  if (session.role !== "admin") {
    return (
      <div className="stack">
        <PageHead title="API tokens" />
        <NotAllowed what="manage API tokens" admins />
      </div>
    );
  }
  const tokens = await listApiTokens(session.orgId);
  return (
    <div className="stack">
      <PageHead title="API tokens">
        <p className="muted">
          Bearer tokens for the management API, the CLI (<code>PROVENANCE_TOKEN</code>) and automation in {session.orgSlug}.
        </p>
      </PageHead>
      <section className="card" aria-labelledby="new-token-heading">
        <div className="card-head">
          <h2 id="new-token-heading">New token</h2>
        </div>
        <TokenForm />
      </section>
      <section className="card" aria-labelledby="tokens-heading">
        <div className="card-head">
          <h2 id="tokens-heading">Tokens</h2>
        </div>
        {tokens.length === 0 ? (
          <p className="empty">No tokens.</p>
        ) : (
          <DataTable columns={["Name", "Role", "Starts with", "Created (UTC)", "Last used (UTC)", ""]} testId="tokens-table">
            {tokens.map((t) => (
              <tr key={t.id}>
                <td className="cell-title">{t.name}</td>
                <td>{t.role}</td>
                <td className="mono small">{t.prefix}…</td>
                <td className="nowrap small">{formatDateTime(t.createdAt)}</td>
                <td className="nowrap small">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}</td>
                <td>
                  <DeleteButton
                    url={`/api/v1/api-tokens/${t.id}`}
                    what={`the token "${t.name}"`}
                    after="/tokens"
                    label="Revoke"
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
