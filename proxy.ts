// Next.js proxy (formerly middleware): gives every console page a fresh CSP nonce and its
// security headers (lib/http/security-headers.ts). Next.js reads the nonce from the
// request's Content-Security-Policy header and puts it on the scripts it renders.
// API routes, static files and prefetches are left alone: they render no scripts, and
// next.config.mjs sets the headers every response gets.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { createNonce, pageSecurityHeaders } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const e = env();
  const nonce = createNonce();
  const headers = pageSecurityHeaders({ publicUrl: e.publicUrl, dev: e.NODE_ENV === "development", nonce });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
