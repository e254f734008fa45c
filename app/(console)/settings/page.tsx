// /settings — your account (change your password) and the org's settings (separation of
// duties for approvals: admins change it, everyone sees it).
import { HydrationBoundary } from "@tanstack/react-query";
import { AccountCard } from "@/components/settings/account-card";
import { OrgSettingsCard } from "@/components/settings/org-settings-card";
import { requireSession } from "@/lib/auth/current-session";
import { getOrgSettings } from "@/lib/store/members";
import { prefetch } from "@/lib/ui/prefetch";
import { queryKeys } from "@/lib/ui/query-keys";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const session = await requireSession();
  const state = await prefetch([{ queryKey: queryKeys.org.settings(), load: () => getOrgSettings(session.orgId) }]);
  return (
    <HydrationBoundary state={state}>
      <AccountCard email={session.email} role={session.role} />
      <OrgSettingsCard isAdmin={session.role === "admin"} />
    </HydrationBoundary>
  );
}
