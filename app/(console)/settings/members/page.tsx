// /settings/members — the people of the org: everyone sees who is on the team; admins
// invite (a one-time link, shown once), change roles, deactivate and remove members.
import { HydrationBoundary } from "@tanstack/react-query";
import { MembersView } from "@/components/settings/members-view";
import { requireSession } from "@/lib/auth/current-session";
import { listMembers } from "@/lib/store/members";
import { prefetch } from "@/lib/ui/prefetch";
import { queryKeys } from "@/lib/ui/query-keys";

export const dynamic = "force-dynamic";

export default async function MembersPage() {
  const session = await requireSession();
  const state = await prefetch([{ queryKey: queryKeys.members.list(), load: async () => ({ data: await listMembers(session.orgId) }) }]);
  return (
    <HydrationBoundary state={state}>
      <MembersView me={{ id: session.userId, isAdmin: session.role === "admin" }} />
    </HydrationBoundary>
  );
}
