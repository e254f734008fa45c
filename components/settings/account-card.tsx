"use client";
// Your own account: who you are signed in as, and changing your password (the current one
// is needed; your other sessions end, this one stays).
import { useState, type FormEvent } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import { apiFetch } from "@/lib/ui/api-fetch";

export function AccountCard({ email, role }: { email: string; role: string }) {
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useApiMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => apiFetch("POST", "/api/auth/password", body),
    success: "Password changed; your other sessions were signed out",
    onSuccess: () => {
      setCurrent("");
      setNew("");
      setRepeat("");
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    setMismatch(newPassword !== repeat);
    if (newPassword !== repeat) return;
    change.mutate({ currentPassword, newPassword });
  }
  const fields = change.fieldErrors;
  const other = change.problemBeyond(["currentPassword", "newPassword"]);
  return (
    <Card title="Your account" description={<>Signed in as <strong>{email}</strong> ({role}).</>}>
      <form className="form narrow-form" onSubmit={submit} aria-label="Change your password">
        <Field label="Current password" error={fields.currentPassword}>
          {(p) => <input {...p} type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} required />}
        </Field>
        <Field label="New password" hint="At least 12 characters." error={fields.newPassword}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} required minLength={12} />}
        </Field>
        <Field label="New password again" error={mismatch ? "does not match the new password" : undefined}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />}
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={change.isPending} busyLabel="Changing…">
            Change password
          </Button>
        </div>
        <ProblemBox problem={other} />
      </form>
    </Card>
  );
}
