// The console's sign-in body and answers (the operation table's `login`).
import { z } from "zod";

export const LoginBody = z.object({
  email: z.string().trim().max(254).pipe(z.email("Enter a valid email address")),
  password: z.string().min(1, "Enter your password").max(1024),
});

export const LoginRefused = z.object({ error: z.string(), retryAfter: z.number().int().optional() });

export const SignedIn = z.object({ ok: z.literal(true) });

export const Me = z.object({
  kind: z.enum(["session", "token"]),
  email: z.string().nullable(),
  role: z.enum(["admin", "operator", "reviewer"]),
  org: z.object({ slug: z.string() }),
});
