// /login — operator sign-in. Already signed in: straight on to where they were going.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { BrandMark } from "@/components/brand";
import { currentSession } from "@/lib/auth/current-session";
import { safeNextPath } from "@/lib/auth/safe-next-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNextPath((await searchParams).next);
  if (await currentSession()) redirect(next);
  return (
    <main className="auth-page">
      <div className="auth-panel">
        <div className="auth-brand">
          <BrandMark size={40} />
          <h1>Sign in to Provenance</h1>
          <p className="muted">Inbound webhooks, verified and recorded.</p>
        </div>
        <div className="card auth-card">
          <LoginForm next={next} />
        </div>
        <p className="auth-foot muted">
          First start? The launcher printed the admin&rsquo;s email and password, or set{" "}
          <code>PROVENANCE_ADMIN_EMAIL</code> and <code>PROVENANCE_ADMIN_PASSWORD</code>.
        </p>
      </div>
    </main>
  );
}
