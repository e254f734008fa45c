"use client";
// The org's API tokens (admins only): create one (POST /api/v1/api-tokens; the token is
// shown once, here, right after it is made: only its hash and prefix are stored) and
// revoke one (after a confirmation). The list is a react-query query, prefetched by the
// page and invalidated by both writes.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { DataTable } from "@/components/ui/table";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { ApiTokenCreatedDto, ApiTokenDto } from "@/lib/schemas/api-tokens";
import { apiFetch } from "@/lib/ui/api-fetch";
import { formatDateTime } from "@/lib/ui/format";
import { queryKeys } from "@/lib/ui/query-keys";

type Role = ApiTokenDto["role"];

export const tokensQuery = {
  queryKey: queryKeys.tokens.list(),
  queryFn: () => apiFetch<{ data: ApiTokenDto[] }>("GET", "/api/v1/api-tokens"),
};

export function TokensView() {
  const { data, isError, error } = useQuery(tokensQuery);
  return (
    <>
      <Card title="New token">
        <TokenForm />
      </Card>
      <Card title="Tokens">
        {isError ? <ProblemBox problem={{ error: error.message, details: [] }} /> : null}
        {data && data.data.length === 0 ? <p className="empty">No tokens.</p> : null}
        {data && data.data.length > 0 ? (
          <DataTable columns={["Name", "Role", "Starts with", "Created (UTC)", "Last used (UTC)", ""]} testId="tokens-table">
            {data.data.map((t) => (
              <tr key={t.id}>
                <td className="cell-title">{t.name}</td>
                <td>{t.role}</td>
                <td className="mono small">{t.prefix}…</td>
                <td className="nowrap small">{formatDateTime(t.createdAt)}</td>
                <td className="nowrap small">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}</td>
                <td>
                  <RevokeButton token={t} />
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </Card>
    </>
  );
}

function TokenForm() {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("operator");
  const [created, setCreated] = useState<ApiTokenCreatedDto | null>(null);
  const create = useApiMutation({
    mutationFn: (body: { name: string; role: Role }) => apiFetch<ApiTokenCreatedDto>("POST", "/api/v1/api-tokens", body),
    invalidates: [queryKeys.tokens.all],
    onSuccess: (r) => {
      setCreated(r);
      setName("");
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate({ name, role });
  }
  return (
    <div className="stack">
      <form className="filters" onSubmit={submit} aria-label="New API token">
        <Field label="Name" error={create.fieldErrors.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="ci-deploy" />}
        </Field>
        <Field label="Role" error={create.fieldErrors.role}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="reviewer">reviewer (reads, approves packages)</option>
              <option value="operator">operator (also writes configuration)</option>
              <option value="admin">admin (also manages tokens)</option>
            </select>
          )}
        </Field>
        <Button type="submit" variant="primary" busy={create.isPending} busyLabel="Creating…">
          Create token
        </Button>
      </form>
      <ProblemBox problem={create.problemBeyond(["name", "role"])} />
      {created ? (
        <div className="card token-created" role="status">
          <p>
            Token <strong>{created.name}</strong> ({created.role}). Copy it now: it is not shown again.
          </p>
          <code className="url" data-testid="new-token">
            {created.token}
          </code>
        </div>
      ) : null}
    </div>
  );
}

function RevokeButton({ token }: { token: ApiTokenDto }) {
  const confirm = useConfirm();
  const revoke = useApiMutation({
    mutationFn: () => apiFetch<void>("DELETE", `/api/v1/api-tokens/${encodeURIComponent(token.id)}`),
    invalidates: [queryKeys.tokens.all],
    success: `Revoked the token "${token.name}"`,
  });
  return (
    <span className="replay">
      <Button
        variant="danger"
        busy={revoke.isPending}
        onClick={async () => {
          const ok = await confirm({
            title: `Revoke the token "${token.name}"?`,
            body: <p>Programs using it are refused from now on. This cannot be undone.</p>,
            confirmLabel: "Revoke",
            danger: true,
          });
          if (ok) revoke.mutate(undefined);
        }}
      >
        Revoke
      </Button>
      {revoke.problem ? (
        <span className="form-error" role="alert">
          Revoke refused: {revoke.problem.error}
        </span>
      ) : null}
    </span>
  );
}
