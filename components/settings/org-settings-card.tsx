"use client";
// The org's settings. Separation of duties: in a production org a package version needs
// an approval from someone other than whoever uploaded it; admins may relax it for a
// one-person team, everyone else sees how it is set.
import { useQuery } from "@tanstack/react-query";
import { ProblemBox } from "@/components/ui/api-call";
import { Card } from "@/components/ui/card";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { OrgSettingsDto } from "@/lib/schemas/members";
import { apiFetch } from "@/lib/ui/api-fetch";
import { queryKeys } from "@/lib/ui/query-keys";

export function OrgSettingsCard({ isAdmin }: { isAdmin: boolean }) {
  const { data } = useQuery({
    queryKey: queryKeys.org.settings(),
    queryFn: () => apiFetch<OrgSettingsDto>("GET", "/api/v1/org"),
  });
  const update = useApiMutation({
    mutationFn: (body: { separationOfDuties: boolean }) => apiFetch<OrgSettingsDto>("PATCH", "/api/v1/org", body),
    invalidates: [queryKeys.org.all],
    success: (r) => (r.separationOfDuties ? "Separation of duties is on" : "Separation of duties is off"),
  });
  if (!data) return null;
  return (
    <Card title="Organization" description={<>{data.name} (<code>{data.slug}</code>), a {data.environment} org.</>}>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={data.separationOfDuties}
          disabled={!isAdmin || update.isPending}
          onChange={(e) => update.mutate({ separationOfDuties: e.target.checked })}
          aria-describedby="sod-hint"
        />
        Separation of duties for approvals
      </label>
      <p className="muted small" id="sod-hint">
        {data.environment === "sandbox"
          ? "A sandbox org applies any validated version, so no approval is needed."
          : "A package version must be approved by someone other than the person (or token) who uploaded it. Turn it off only for a one-person team."}
        {isAdmin ? null : " Only admins change this."}
      </p>
      <ProblemBox problem={update.problem} />
    </Card>
  );
}
