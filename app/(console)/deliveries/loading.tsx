// While a page of this section loads on the server.
import { SectionLoading } from "@/components/ui/section-state";

export default function DeliveriesLoading() {
  return <SectionLoading what="deliveries" />;
}
