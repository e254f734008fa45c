// While a page of this section loads on the server.
import { SectionLoading } from "@/components/ui/section-state";

export default function TokensLoading() {
  return <SectionLoading what="API tokens" />;
}
