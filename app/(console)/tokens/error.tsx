"use client";
// A page of this section that failed to render: say so, keep the navigation, offer a retry.
import { SectionError } from "@/components/ui/section-state";

export default function TokensError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="API tokens" {...props} />;
}
