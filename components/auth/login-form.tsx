"use client";
// The sign-in form: posts to /api/auth/login and, once the session cookie is set,
// continues to `next` (already reduced to a same-site path by the page).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";

type Credentials = { email: string; password: string };

class LoginError extends Error {}

function retryText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

async function postLogin(credentials: Credentials): Promise<void> {
  let res: Response;
  try {
    res = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(credentials),
      credentials: "same-origin",
    });
  } catch {
    throw new LoginError("Could not reach the server. Check your connection and try again.");
  }
  if (res.ok) return;
  const body = (await res.json().catch(() => ({}))) as { retryAfter?: unknown };
  if (res.status === 401) throw new LoginError("Invalid email or password.");
  if (res.status === 429) {
    const seconds = typeof body.retryAfter === "number" ? body.retryAfter : Number(res.headers.get("retry-after")) || 60;
    throw new LoginError(`Too many attempts. Try again in ${retryText(seconds)}.`);
  }
  if (res.status === 503) {
    const seconds = typeof body.retryAfter === "number" ? body.retryAfter : Number(res.headers.get("retry-after")) || 5;
    throw new LoginError(`The server is busy checking other sign-ins. Try again in ${retryText(seconds)}.`);
  }
  if (res.status === 400) throw new LoginError("Enter a valid email address and your password.");
  if (res.status === 403) throw new LoginError("This sign-in request was refused. Open the sign-in page from this site and try again.");
  throw new LoginError("Sign-in failed because of a server error. Try again in a moment.");
}

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const errorId = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const passwordRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: postLogin,
    onSuccess: () => router.replace(next),
  });
  // Stays disabled after success too, while the next page loads.
  const busy = mutation.isPending || mutation.isSuccess;
  const error = mutation.error ? mutation.error.message : null;

  // The fields were disabled while waiting (which drops focus); once they are enabled
  // again, put the cursor where a retry starts.
  useEffect(() => {
    if (mutation.isError) passwordRef.current?.select();
  }, [mutation.isError]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    mutation.mutate({ email: email.trim(), password });
  }

  return (
    <form className="form" onSubmit={onSubmit}>
      {error ? (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="login-email">Email</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          disabled={busy}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          ref={passwordRef}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          disabled={busy}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
      </div>
      <button className="button button-primary button-block" type="submit" disabled={busy} aria-busy={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
