// The signed-in operator of the page being rendered, read from the session cookie.
// Cached per request, so the console layout and its page share one lookup.
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { principalFromSession, SESSION_COOKIE } from "@/lib/auth/authenticate";
import type { Principal } from "@/lib/auth/principal";

export type SessionPrincipal = Principal & { kind: "session"; userId: string; email: string };

export const currentSession = cache(async (): Promise<SessionPrincipal | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const principal = await principalFromSession(token);
  if (!principal || principal.kind !== "session" || !principal.userId || !principal.email) return null;
  return { ...principal, kind: "session", userId: principal.userId, email: principal.email };
});

/** For console pages: the operator, or a redirect to the sign-in page. */
export async function requireSession(): Promise<SessionPrincipal> {
  const session = await currentSession();
  if (!session) redirect("/login");
  return session;
}
