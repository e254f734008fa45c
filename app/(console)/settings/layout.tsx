// /settings — the signed-in member's account, the org's settings and its members.
import type { ReactNode } from "react";
import { PageHead } from "@/components/ui/page-head";
import { SettingsTabs } from "@/components/settings/settings-tabs";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="stack">
      <PageHead title="Settings" />
      <SettingsTabs />
      {children}
    </div>
  );
}
