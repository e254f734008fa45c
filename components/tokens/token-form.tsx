"use client";
// Creating an API token (POST /api/v1/api-tokens, admins only). The token is shown once,
// here, right after it is made: only its hash and prefix are stored.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { callApi, ProblemBox, type Problem } from "@/components/ui/api-call";
import type { ApiTokenCreatedDto } from "@/lib/api/schemas/api-tokens";

export function TokenForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [role, setRole] = useState("operator");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [created, setCreated] = useState<ApiTokenCreatedDto | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const r = await callApi<ApiTokenCreatedDto>("POST", "/api/v1/api-tokens", { name, role });
    setBusy(false);
    if (!r.ok) return setProblem(r.problem);
    setCreated(r.body);
    setName("");
    router.refresh();
  }

  return (
    <div className="stack">
      <form className="filters" onSubmit={submit} aria-label="New API token">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="ci-deploy" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="reviewer">reviewer (reads, approves packages)</option>
            <option value="operator">operator (also writes configuration)</option>
            <option value="admin">admin (also manages tokens)</option>
          </select>
        </label>
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? "Creating…" : "Create token"}
        </button>
      </form>
      <ProblemBox problem={problem} />
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
