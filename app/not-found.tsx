// The 404 page. Next.js's built-in one carries an inline <style> without the CSP nonce,
// which the console's policy (proxy.ts) blocks; this one uses the app's stylesheet.
import type { Metadata } from "next";
import Link from "next/link";
import { BrandMark } from "@/components/brand";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="auth-panel">
        <div className="auth-brand">
          <BrandMark size={40} />
          <h1>Page not found</h1>
          <p className="muted">There is nothing at this address.</p>
        </div>
        <p className="auth-foot">
          <Link href="/">Back to the console</Link>
        </p>
      </div>
    </main>
  );
}
