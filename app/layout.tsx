import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Provenance", template: "%s · Provenance" },
  description: "Self-hosted inbound webhooks: verify, validate, map and record every event.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#f6f7f9" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, so each gets the CSP nonce proxy.ts made for it:
  // a page prerendered at build time (the 404 page) would carry scripts without one.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
