"use client";
// The team: the members list (react-query, hydrated from the server's prefetch) and, for
// admins, inviting, role changes, deactivation and removal. Every write goes through
// useApiMutation: field errors at their fields, the list invalidated, a toast.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { StatusBadge } from "@/components/ui/status-badge";
import { DataTable } from "@/components/ui/table";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { MemberDto, MemberInvitedDto } from "@/lib/schemas/members";
import { apiFetch } from "@/lib/ui/api-fetch";
import { formatDateTime } from "@/lib/ui/format";
import { queryKeys } from "@/lib/ui/query-keys";

type Role = MemberDto["role"];
const ROLES: { value: Role; label: string }[] = [
  { value: "reviewer", label: "reviewer: reads, approves packages" },
  { value: "operator", label: "operator: also changes configuration" },
  { value: "admin", label: "admin: also manages members and tokens" },
];

const membersQuery = {
  queryKey: queryKeys.members.list(),
  queryFn: () => apiFetch<{ data: MemberDto[] }>("GET", "/api/v1/members"),
};

export function MembersView({ me }: { me: { id: string; isAdmin: boolean } }) {
  const { data, isError, error } = useQuery(membersQuery);
  const [invited, setInvited] = useState<MemberInvitedDto | null>(null);
  return (
    <>
      {me.isAdmin ? (
        <Card title="Invite a member" description="No email is sent: you get a one-time link to pass on. It works once, for 7 days.">
          <InviteForm onInvited={setInvited} />
          {invited ? <InviteLink invited={invited} /> : null}
        </Card>
      ) : null}
      <Card title="Members" testId="members">
        {isError ? <ProblemBox problem={{ error: error.message, details: [] }} /> : null}
        {data ? <MembersTable members={data.data} me={me} onInvited={setInvited} /> : null}
      </Card>
    </>
  );
}

function InviteForm({ onInvited }: { onInvited: (invited: MemberInvitedDto) => void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("reviewer");
  const invite = useApiMutation({
    mutationFn: (body: { email: string; role: Role; name?: string }) => apiFetch<MemberInvitedDto>("POST", "/api/v1/members", body),
    invalidates: [queryKeys.members.all],
    success: (r) => `Invited ${r.member.email}`,
    onSuccess: (r) => {
      onInvited(r);
      setEmail("");
      setName("");
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    invite.mutate({ email, role, ...(name.trim() ? { name: name.trim() } : {}) });
  }
  const { email: emailError, role: roleError, name: nameError } = invite.fieldErrors;
  return (
    <form className="form form-row" onSubmit={submit} aria-label="Invite a member" noValidate>
      <Field label="Email" error={emailError}>
        {(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" />}
      </Field>
      <Field label="Name (optional)" error={nameError}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="off" />}
      </Field>
      <Field label="Role" error={roleError}>
        {(p) => (
          <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={invite.isPending} busyLabel="Inviting…">
          Invite
        </Button>
      </div>
      <ProblemBox problem={invite.problemBeyond(["email", "role", "name"])} />
    </form>
  );
}

function InviteLink({ invited }: { invited: MemberInvitedDto }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="token-created" role="status" data-testid="invite-link">
      <p>
        Send this link to <strong>{invited.member.email}</strong> ({invited.member.role}). It is shown only now and works
        once, until {formatDateTime(invited.expiresAt)} UTC.
      </p>
      <div className="copy-row">
        <code className="url">{invited.inviteUrl}</code>
        <Button
          variant="quiet"
          onClick={async () => {
            await navigator.clipboard?.writeText(invited.inviteUrl).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy link"}
        </Button>
      </div>
    </div>
  );
}

function MembersTable({
  members,
  me,
  onInvited,
}: {
  members: MemberDto[];
  me: { id: string; isAdmin: boolean };
  onInvited: (invited: MemberInvitedDto) => void;
}) {
  if (members.length === 0) return <p className="empty">No members.</p>;
  return (
    <DataTable columns={me.isAdmin ? ["Member", "Role", "Status", "Last sign-in (UTC)", ""] : ["Member", "Role", "Status", "Last sign-in (UTC)"]} testId="members-table">
      {members.map((m) => (
        <MemberRow key={m.id} member={m} me={me} onInvited={onInvited} />
      ))}
    </DataTable>
  );
}

function MemberRow({ member: m, me, onInvited }: { member: MemberDto; me: { id: string; isAdmin: boolean }; onInvited: (i: MemberInvitedDto) => void }) {
  const confirm = useConfirm();
  const label = m.name ? `${m.name} (${m.email})` : m.email;
  const update = useApiMutation({
    mutationFn: (patch: { role?: Role; active?: boolean }) => apiFetch<MemberDto>("PATCH", `/api/v1/members/${m.id}`, patch),
    invalidates: [queryKeys.members.all],
    success: (r, patch) =>
      patch.active === false ? `${r.email} deactivated` : patch.active === true ? `${r.email} reactivated` : `${r.email} is now ${r.role}`,
  });
  const remove = useApiMutation({
    mutationFn: () => apiFetch<void>("DELETE", `/api/v1/members/${m.id}`),
    invalidates: [queryKeys.members.all],
    success: `${m.email} removed`,
  });
  const reinvite = useApiMutation({
    mutationFn: () => apiFetch<MemberInvitedDto>("POST", `/api/v1/members/${m.id}/invite`),
    invalidates: [queryKeys.members.all],
    success: `New link for ${m.email}`,
    onSuccess: onInvited,
  });
  const problem = update.problem ?? remove.problem ?? reinvite.problem;
  return (
    <tr data-testid={`member-${m.email}`}>
      <td className="cell-title">
        {m.name ? <div>{m.name}</div> : null}
        <div className={m.name ? "muted small" : undefined}>{m.email}</div>
        {m.id === me.id ? <span className="muted small">(you)</span> : null}
        {problem ? <ProblemBox problem={problem} /> : null}
      </td>
      <td>
        {me.isAdmin ? (
          <select
            aria-label={`Role of ${label}`}
            value={m.role}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ role: e.target.value as Role })}
          >
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.value}
              </option>
            ))}
          </select>
        ) : (
          m.role
        )}
      </td>
      <td>
        <StatusBadge status={m.status} />
        {m.status === "invited" && m.inviteExpiresAt ? (
          <div className="muted small">link until {formatDateTime(m.inviteExpiresAt)}</div>
        ) : null}
      </td>
      <td className="nowrap small">{m.lastLoginAt ? formatDateTime(m.lastLoginAt) : "never"}</td>
      {me.isAdmin ? (
        <td className="row-actions">
          {m.status === "invited" ? (
            <Button variant="quiet" busy={reinvite.isPending} onClick={() => reinvite.mutate(undefined)}>
              New link
            </Button>
          ) : null}
          {m.status === "active" ? (
            <Button
              variant="quiet"
              busy={update.isPending}
              onClick={async () => {
                const ok = await confirm({
                  title: `Deactivate ${label}?`,
                  body: "They are signed out everywhere at once and cannot sign in until reactivated.",
                  confirmLabel: "Deactivate",
                  danger: true,
                });
                if (ok) update.mutate({ active: false });
              }}
            >
              Deactivate
            </Button>
          ) : null}
          {m.status === "deactivated" ? (
            <Button variant="quiet" busy={update.isPending} onClick={() => update.mutate({ active: true })}>
              Reactivate
            </Button>
          ) : null}
          <Button
            variant="danger"
            busy={remove.isPending}
            onClick={async () => {
              const ok = await confirm({
                title: `Remove ${label}?`,
                body: "Their account is deleted. Tokens they made keep working, no longer attributed to them.",
                confirmLabel: "Remove",
                danger: true,
              });
              if (ok) remove.mutate(undefined);
            }}
          >
            Remove
          </Button>
        </td>
      ) : null}
    </tr>
  );
}
