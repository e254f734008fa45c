// While a page of this section loads on the server.
import { SectionLoading } from "@/components/ui/section-state";

export default function TargetsLoading() {
  return <SectionLoading what="targets" />;
}
