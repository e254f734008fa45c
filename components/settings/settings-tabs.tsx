"use client";
// The settings section's own navigation; the current page is marked for assistive technology.
import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/settings", label: "Account and org" },
  { href: "/settings/members", label: "Members" },
] as const;

export function SettingsTabs() {
  const pathname = usePathname();
  return (
    <nav className="tabs" aria-label="Settings">
      {TABS.map((t) => (
        <Link key={t.href} href={t.href} className="tab" aria-current={pathname === t.href ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
