// The signed-in shell: every console page sits under this header. Signed out: /login.
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Brand } from "@/components/brand";
import { requireSession } from "@/lib/auth/current-session";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  return (
    <div className="console">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link href="/" className="topbar-home" aria-label="Provenance home">
            <Brand />
          </Link>
          <span className="org-chip" title="Organization">
            <span className="visually-hidden">Organization: </span>
            {session.orgSlug}
          </span>
          <nav className="topnav" aria-label="Console">
            <Link href="/">Overview</Link>
            <Link href="/sources">Sources</Link>
            <Link href="/events">Events</Link>
            <Link href="/interactions">Interactions</Link>
            <Link href="/deliveries">Deliveries</Link>
            <Link href="/flows">Flows</Link>
            <Link href="/topology">Topology</Link>
            <Link href="/packages">Packages</Link>
            {session.role === "admin" ? <Link href="/tokens">Tokens</Link> : null}
            <Link href="/settings">Settings</Link>
            <Link href="/api-docs">API</Link>
          </nav>
          <div className="topbar-user">
            <span className="user-identity">
              <span className="user-email" data-testid="user-email">
                {session.email}
              </span>
              <span className={`role-badge role-${session.role}`} data-testid="user-role">
                {session.role}
              </span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="console-main" id="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
