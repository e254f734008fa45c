// The small ports the pipeline talks through. The live route, the embedded worker,
// replay and (later) the ProviderFlow sandbox each supply their own implementations.
import type { Condition, Detail, VerificationConfig } from "./types";

export type SourceRecord = {
  id: string;
  orgId: string;
  orgSlug: string;
  originId: string;
  active: boolean;
  verification: VerificationConfig | null;
  /**
   * Set when the source has verification settings that cannot be used (no secret
   * stored, or one that cannot be read): stage 2 then refuses every request.
   */
  verificationProblem?: string;
  payloadSchema: object | null;
};

export type SourceKey = { id: string } | { mnemonic: string };

export type MappingRecord = {
  id: string;
  title: string;
  priority: number;
  createdAt: Date;
  resourceTypeId: string;
  /** Null when the action is read from the payload (actionPath). */
  actionId: string | null;
  resourceType: string;
  action: string | null;
  actionPath: string | null;
  conditions: Condition[];
  payloadSchema: object | null;
  schemaRootPath: string | null;
  idempotencyPath: string | null;
  resourceIdPath: string;
  fieldMappings: Record<string, string> | null;
  metadataPaths: Record<string, string> | null;
};

export type StageName =
  | "source"
  | "body"
  | "signature"
  | "sourceSchema"
  | "mappingSelection"
  | "mappingSchema"
  | "dedup"
  | "interaction";

export type StageOutcome = { stage: StageName; outcome: "passed" | "failed" | "skipped"; detail?: string };

export type EventStatus = "queued" | "processed" | "failed" | "duplicate" | "unmatched";

/** An event as the pipeline persists it. Headers are already redacted. */
export type NewEvent = {
  id: string;
  source: SourceRecord;
  headers: Record<string, string>;
  /** The inbound URL's query parameters (first value of each); {} when it had none. */
  query: Record<string, string>;
  body: Uint8Array;
  bodyTruncated: boolean;
  stages: StageOutcome[];
  receivedAt: Date;
  replayOf?: string | null;
};

export type ReadyInteraction = {
  id: string;
  mapping: MappingRecord;
  /** The action name: the mapping's own, or read from the payload. */
  action: string;
  resourceId: string;
  idempotencyKey: string | null;
  object: Record<string, unknown>;
};

/** The result of stages 4–7 before it is written. */
export type Outcome =
  | { kind: "unmatched"; stages: StageOutcome[] }
  | { kind: "failed"; stages: StageOutcome[]; error: string; details?: Detail[]; mappingId?: string }
  | { kind: "ready"; stages: StageOutcome[]; interaction: ReadyInteraction };

export type CommitResult =
  | { status: "processed"; interactionId: string }
  | { status: "duplicate" }
  | { status: "unmatched" }
  | { status: "failed" };

export interface SourceLookup {
  findSource(slug: string, key: SourceKey): Promise<SourceRecord | null>;
}

export interface PipelineStore {
  activeMappings(orgId: string, sourceId: string): Promise<MappingRecord[]>;
  /** Stores an event that ends before stage 4 (failed or handshake), or a queued one. */
  recordEvent(event: NewEvent, status: EventStatus, error?: { message: string; details?: Detail[] }): Promise<void>;
  /** Writes the event with its outcome and, if ready, the interaction, in one transaction. */
  commitSync(event: NewEvent, outcome: Outcome): Promise<CommitResult>;
}

/**
 * The per-source budget for failed requests (those that end before the pipeline accepts
 * them: body too large, signature, timestamp, invalid JSON, source schema). Within it a
 * failed request is stored as an event; past it, it is only counted.
 */
export interface FailedEventBudget {
  /** True: store this one as an event. False: it has been counted instead. */
  admit(source: SourceRecord, at: Date): Promise<boolean>;
}

export interface EventQueue {
  /** Called after a queued event is stored; lets the worker (or QStash) pick it up. */
  notify(eventId: string): Promise<void>;
}

export interface Clock {
  now(): number;
}

export interface IdGen {
  uuid(): string;
}
