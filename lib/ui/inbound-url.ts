// The inbound URLs a provider is given for a source (spec inbound-api.md §1).
export function inboundUrls(publicUrl: string, orgSlug: string, source: { id: string; mnemonic: string }) {
  const base = `${publicUrl}/api/inbound/${encodeURIComponent(orgSlug)}`;
  return { byMnemonic: `${base}/by-mnemonic/${encodeURIComponent(source.mnemonic)}`, byId: `${base}/${source.id}` };
}
