// While the list loads on the server. (Only the list: a detail page must answer 404 for an
// unknown id, which a loading boundary above it would turn into a streamed 200.)
import { SectionLoading } from "@/components/ui/section-state";

export default function PackagesLoading() {
  return <SectionLoading what="packages" />;
}
