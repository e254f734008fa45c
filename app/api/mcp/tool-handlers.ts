// The route handler of each operation an MCP tool calls: /api/mcp calls them in-process
// (lib/mcp/tools.test.ts checks that each tool's operation is here and is that handler's).
import type { RouteHandler } from "@/lib/api/with-api";
import * as deliveries from "../v1/deliveries/route";
import * as deliveryRetry from "../v1/deliveries/[id]/retry/route";
import * as events from "../v1/events/route";
import * as eventReplay from "../v1/events/[id]/replay/route";
import * as interactions from "../v1/interactions/route";
import * as mappings from "../v1/inbound-mappings/route";
import * as mappingTest from "../v1/inbound-mappings/[id]/test/route";
import * as mappingWhatIf from "../v1/inbound-mappings/[id]/what-if/route";
import * as sources from "../v1/inbound-sources/route";

/** The handler of each operation a tool calls (lib/mcp/tools.test.ts checks the list against the tools). */
export const TOOL_HANDLERS: Record<string, RouteHandler> = {
  listInboundSources: sources.GET,
  createInboundSource: sources.POST,
  listInboundMappings: mappings.GET,
  createInboundMapping: mappings.POST,
  testInboundMapping: mappingTest.POST,
  whatIfMapping: mappingWhatIf.POST,
  listEvents: events.GET,
  replayEvent: eventReplay.POST,
  listInteractions: interactions.GET,
  listDeliveries: deliveries.GET,
  retryDelivery: deliveryRetry.POST,
};
