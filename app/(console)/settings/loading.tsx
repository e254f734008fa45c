// While a page of this section loads on the server.
import { SectionLoading } from "@/components/ui/section-state";

export default function SettingsLoading() {
  return <SectionLoading what="settings" />;
}
