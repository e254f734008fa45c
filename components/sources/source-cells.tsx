// The two cells every list of sources starts with: its name (linking to its page) over
// its mnemonic, and the inbound URL a provider is given.
import Link from "next/link";
import { ManagedMark } from "@/components/flows/managed-mark";
import { inboundUrls } from "@/lib/ui/inbound-url";

type SourceLike = { id: string; title: string; mnemonic: string };

export function SourceCells({
  source,
  publicUrl,
  orgSlug,
  managedBy,
}: {
  source: SourceLike;
  publicUrl: string;
  orgSlug: string;
  /** The ProviderFlow package managing it, if any. */
  managedBy?: string;
}) {
  return (
    <>
      <td>
        <Link href={`/sources/${source.id}`} className="cell-title">
          {source.title}
        </Link>
        <div className="muted small mono">{source.mnemonic}</div>
        {managedBy ? <ManagedMark pkg={managedBy} /> : null}
      </td>
      <td>
        <code className="url">{inboundUrls(publicUrl, orgSlug, source).byMnemonic}</code>
      </td>
    </>
  );
}
