// Marks an object a ProviderFlow package manages, linking to the package; on an edit page
// it warns that the package's next apply resets whatever is changed here.
import Link from "next/link";

export function ManagedMark({ pkg }: { pkg: string }) {
  return (
    <Link className="badge badge-info managed-badge" href={`/flows/${pkg}`} title={`Managed by the ProviderFlow package ${pkg}`}>
      managed by {pkg}
    </Link>
  );
}

export function ManagedWarning({ pkg, what }: { pkg: string; what: string }) {
  return (
    <div className="card notice managed-warning" role="note" data-testid="managed-warning">
      <p>
        This {what} is managed by the ProviderFlow package <Link href={`/flows/${pkg}`}>{pkg}</Link>. A change made here is reset by the
        package&rsquo;s next apply: change the package instead, or save here knowing it is temporary.
      </p>
    </div>
  );
}
