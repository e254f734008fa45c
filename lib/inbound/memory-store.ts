// The pipeline's store in memory, for runs that must write nothing: the ProviderFlow
// sandbox (one per fixture, so fixtures are independent) and prod revalidation. It
// records what the live store would persist and deduplicates as the SQL store's unique
// index does (org, resource type, action, idempotency key; a null key never conflicts),
// with the pipeline's own stage texts (settleStages). Nothing here decides a verdict:
// that is runMappingStages', called by handleInbound.
import { settleStages } from "./pipeline";
import type { CommitResult, EventStatus, MappingRecord, NewEvent, Outcome, PipelineStore, StageOutcome } from "./ports";
import type { Detail } from "./types";

export class MemoryPipelineStore implements PipelineStore {
  event: NewEvent | null = null;
  status: EventStatus | null = null;
  error: { message: string; details?: Detail[] } | null = null;
  outcome: Outcome | null = null;
  commit: CommitResult | null = null;
  /** The event's stages as the live store would persist them. */
  stages: StageOutcome[] = [];
  private readonly keys = new Set<string>();

  constructor(
    /** Active mappings per source id, in pipeline order (priority, then age). */
    private readonly mappings: ReadonlyMap<string, readonly MappingRecord[]>,
    /** How many deliveries an interaction of a mapping makes (its active routes). */
    private readonly routeCount: (mappingId: string) => number = () => 0,
  ) {}

  async activeMappings(_orgId: string, sourceId: string): Promise<MappingRecord[]> {
    return [...(this.mappings.get(sourceId) ?? [])];
  }

  async recordEvent(event: NewEvent, status: EventStatus, error?: { message: string; details?: Detail[] }): Promise<void> {
    this.event = event;
    this.status = status;
    this.error = error ?? null;
    this.stages = [...event.stages];
  }

  async commitSync(event: NewEvent, outcome: Outcome): Promise<CommitResult> {
    this.event = event;
    this.outcome = outcome;
    const stages = [...outcome.stages];
    let commit: CommitResult;
    if (outcome.kind === "unmatched") {
      commit = { status: "unmatched" };
    } else if (outcome.kind === "failed") {
      commit = { status: "failed" };
      this.error = { message: outcome.error, details: outcome.details };
    } else {
      const i = outcome.interaction;
      const unique = JSON.stringify([event.source.orgId, i.mapping.resourceTypeId, i.action, i.idempotencyKey]);
      const duplicate = i.idempotencyKey !== null && this.keys.has(unique);
      if (duplicate) {
        stages.push(...settleStages(i, { duplicate: true }));
        commit = { status: "duplicate" };
      } else {
        if (i.idempotencyKey !== null) this.keys.add(unique);
        stages.push(...settleStages(i, { duplicate: false, deliveries: this.routeCount(i.mapping.id) }));
        commit = { status: "processed", interactionId: i.id };
      }
    }
    this.status = commit.status;
    this.commit = commit;
    this.stages = [...event.stages, ...stages];
    return commit;
  }
}
