// Response bodies of the provider-facing inbound URLs (spec §1), for the OpenAPI
// document. The inbound route builds these from lib/inbound/outcomes.ts; these schemas
// describe that contract for clients.
import { z } from "zod";
import { INBOUND_OUTCOMES } from "@/lib/inbound/outcomes";
import { ErrorDetail, Uuid } from "./common";

const eventId = Uuid.optional().meta({ description: "The recorded event" });

export const InboundInteractionCreated = z
  .object({ interactionId: Uuid, eventId })
  .meta({ id: "InboundInteractionCreated", description: "Sync mode: the interaction was created" });

export const InboundNoMapping = z
  .object({ message: z.literal("No matching mapping found"), eventId })
  .meta({ id: "InboundNoMapping" });

export const InboundDuplicate = z
  .object({ duplicate: z.literal(true), eventId })
  .meta({ id: "InboundDuplicate", description: "An interaction with the same resource type, action and idempotency value exists" });

export const InboundChallenge = z
  .object({ challenge: z.unknown() })
  .meta({ id: "InboundChallenge", description: 'Slack URL verification handshake (slack preset, {"type":"url_verification"})' });

export const InboundQueued = z
  .object({ queued: z.literal(true), eventId: Uuid })
  .meta({ id: "InboundQueued", description: "Queue mode: stored durably; stages 4–7 run in the worker" });

export const InboundError = z
  .object({ error: z.string(), details: z.array(ErrorDetail).optional(), eventId })
  .meta({
    id: "InboundError",
    description: `error is one of ${Object.values(INBOUND_OUTCOMES)
      .filter((row) => row.field === "error")
      .map((row) => `"${row.text}"`)
      .join(", ")} (the inbound outcome table)`,
  });

export const Health = z.object({ ok: z.boolean(), error: z.string().optional() }).meta({ id: "Health" });
