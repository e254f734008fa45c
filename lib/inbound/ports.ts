// The small ports the pipeline talks through. The live route, the embedded worker,
// replay and (later) the ProviderFlow sandbox each supply their own implementations.
import type { ConditionResult } from "./conditions";
import type { BuildFailureKind, MappingFailureKind } from "./outcomes";
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

/** One mapping tried by selection (stage 4): each condition with the value it read and its result. */
export type MappingTry = { mapping: MappingRecord; matched: boolean; conditions: ConditionResult[] };

/**
 * What stages 4–7 did, for anyone who explains a verdict (the sandbox's trace, the
 * mapping tester, revalidation): every mapping tried, in selection order, up to the
 * first that matched; the mapping schema's errors; the building half of stage 7.
 */
export type MappingTrace = {
  tried: MappingTry[];
  /** Stage 5 of the selected mapping (or, with `explainUnmatched`, of the only mapping). */
  schema: { outcome: "passed" | "failed" | "skipped"; errors: Detail[] } | null;
  /** Stage 7's build of the selected mapping; null when it was not reached. */
  build: { ok: true } | { ok: false; kind: BuildFailureKind; details: Detail[] } | null;
};

/** The result of stages 4–7 before it is written. */
export type Outcome =
  | { kind: "unmatched"; stages: StageOutcome[]; trace: MappingTrace }
  | {
      kind: "failed";
      /**
       * The outcome table's row (outcomes.ts): its status and error text. invalidJson
       * only for a stored body that no longer parses (a corrupted row, in the worker).
       */
      failure: MappingFailureKind | "invalidJson";
      stages: StageOutcome[];
      error: string;
      details?: Detail[];
      mappingId?: string;
      trace: MappingTrace;
    }
  | { kind: "ready"; stages: StageOutcome[]; interaction: ReadyInteraction; trace: MappingTrace };

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
