// /invite/:token — the one-time link an admin passed on: the invited person sets a
// password (and their name) and is signed in. A used, expired or unknown link says so
// without revealing anything about the account.
import type { Metadata } from "next";
import Link from "next/link";
import { InviteForm } from "@/components/auth/invite-form";
import { BrandMark } from "@/components/brand";
import { findInvite } from "@/lib/store/members";

// The link is in the path; the app-wide Referrer-Policy (same-origin) keeps it from other sites.
export const metadata: Metadata = { title: "Join your team" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findInvite(token);
  return (
    <main className="auth-page">
      <div className="auth-panel">
        <div className="auth-brand">
          <BrandMark size={40} />
          <h1>{invite ? `Join ${invite.orgName}` : "This invitation link does not work"}</h1>
          {invite ? (
            <p className="muted">
              You were invited as <strong>{invite.email}</strong> ({invite.role}). Choose a password to sign in.
            </p>
          ) : (
            <p className="muted">It was used already, it expired, or it was replaced by a newer one. Ask an admin for a new link.</p>
          )}
        </div>
        {invite ? (
          <div className="card auth-card">
            <InviteForm token={token} email={invite.email} name={invite.name ?? ""} />
          </div>
        ) : (
          <p className="auth-foot">
            <Link href="/login">Go to sign-in</Link>
          </p>
        )}
      </div>
    </main>
  );
}
