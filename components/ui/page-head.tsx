// The top of a console page: where it came from, its title, and what follows the title.
import Link from "next/link";
import type { ReactNode } from "react";

export function PageHead({
  back,
  title,
  children,
}: {
  back?: { href: string; label: string };
  title: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page-head">
      {back ? (
        <p className="small">
          <Link href={back.href}>← {back.label}</Link>
        </p>
      ) : null}
      <h1>{title}</h1>
      {children}
    </div>
  );
}

/** The delete section of an edit page. */
export function DangerZone({ note, children }: { note: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby="danger-heading">
      <div className="card-head">
        <h2 id="danger-heading">Delete</h2>
        <span className="muted small">{note}</span>
      </div>
      {children}
    </section>
  );
}
