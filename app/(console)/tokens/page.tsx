// /tokens — the org's API tokens (admins only): who may call the management API, with
// which role, and when each was last used. Tokens are shown once, at creation.
import { HydrationBoundary } from "@tanstack/react-query";
import { TokensView } from "@/components/tokens/tokens-view";
import { NotAllowed } from "@/components/ui/not-allowed";
import { PageHead } from "@/components/ui/page-head";
import { requireSession } from "@/lib/auth/current-session";
import { listApiTokens } from "@/lib/store/api-tokens";
import { prefetch } from "@/lib/ui/prefetch";
import { queryKeys } from "@/lib/ui/query-keys";

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
  const state = await prefetch([{ queryKey: queryKeys.tokens.list(), load: async () => ({ data: await listApiTokens(session.orgId) }) }]);
  return (
    <div className="stack">
      <PageHead title="API tokens">
        <p className="muted">
          Bearer tokens for the management API, the CLI (<code>PROVENANCE_TOKEN</code>) and automation in {session.orgSlug}.
        </p>
      </PageHead>
      <HydrationBoundary state={state}>
        <TokensView />
      </HydrationBoundary>
    </div>
  );
}
