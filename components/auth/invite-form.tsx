"use client";
// The invitation form: name and a new password (twice). On success the session cookie is
// set by the answer, and the console opens.
import { useState, type FormEvent } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import { apiFetch } from "@/lib/ui/api-fetch";

export function InviteForm({ token, email, name: initialName }: { token: string; email: string; name: string }) {
  const [name, setName] = useState(initialName);
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const accept = useApiMutation({
    mutationFn: (body: { token: string; password: string; name?: string }) => apiFetch("POST", "/api/auth/invite", body),
    onSuccess: () => window.location.assign("/"),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    accept.mutate({ token, password, ...(name.trim() ? { name: name.trim() } : {}) });
  }
  const fields = accept.fieldErrors;
  return (
    <form className="form" onSubmit={submit} aria-label="Set your password">
      <input type="email" value={email} autoComplete="username" readOnly hidden />
      <Field label="Your name" error={fields.name}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="name" />}
      </Field>
      <Field label="Password" hint="At least 12 characters." error={fields.password}>
        {(p) => <input {...p} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required minLength={12} />}
      </Field>
      <Field label="Password again" error={mismatch ? "does not match the password" : undefined}>
        {(p) => <input {...p} type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" required />}
      </Field>
      <ProblemBox problem={accept.problemBeyond(["name", "password"])} />
      <Button type="submit" variant="primary" className="button-block" busy={accept.isPending || accept.isSuccess} busyLabel="Signing in…">
        Set password and sign in
      </Button>
    </form>
  );
}
