// The security headers of console pages, set per request by proxy.ts (the nonce changes
// every time). Headers that never change (nosniff, Referrer-Policy, framing) are set for
// every response in next.config.mjs; the lean inbound path sets its own (scripts/server.mjs).
import { randomBytes } from "node:crypto";

export type PagePolicyOptions = {
  /** Fresh per request: only scripts carrying it run. */
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval. */
  dev: boolean;
  /** The public URL is https: HSTS, and any stray http:// subresource is upgraded. */
  https: boolean;
};

/** HSTS for a year. Not includeSubDomains: a self-hosted console must not decide for its sibling hosts. */
export const HSTS = "max-age=31536000";

export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy of a console page. Scripts: only those with the nonce
 * (Next.js puts it on its own), and what they load ('strict-dynamic'); no inline handler
 * or injected <script> runs. Styles: stylesheets and <style> from this origin or with the
 * nonce; style *attributes* stay allowed because React renders `style={…}` props as
 * attributes in server HTML and React Flow positions every node and edge that way (an
 * attribute cannot run script). Nothing may frame the console, post a form elsewhere,
 * or change the base URL.
 */
export function contentSecurityPolicy(o: PagePolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    // Dev injects <style> without a nonce; a nonce would make browsers ignore 'unsafe-inline'.
    `style-src 'self' ${o.dev ? "'unsafe-inline'" : `'nonce-${o.nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (o.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** The per-request headers of a console page, for a public URL and a fresh nonce. */
export function pageSecurityHeaders(o: { publicUrl: string; dev: boolean; nonce: string }): Record<string, string> {
  const https = new URL(o.publicUrl).protocol === "https:";
  const headers: Record<string, string> = { "content-security-policy": contentSecurityPolicy({ nonce: o.nonce, dev: o.dev, https }) };
  if (https) headers["strict-transport-security"] = HSTS;
  return headers;
}
