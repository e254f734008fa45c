// Prod revalidation (spec providerflow.md §5): after an apply, every fixture of the
// package is re-run as a dry run against the configuration the apply left in the org,
// and compared with its golden. Nothing is written: no event, no interaction.
//
// Each fixture (read by the sandbox's own reader, providerflow/fixture.ts) goes through
// the live inbound entry itself (handleInbound, stages 1–7 in sync mode), as the
// sandbox sends it, with ports over what is applied:
//   SourceLookup   the applied source, its verification secret as stored
//   PipelineStore  lib/inbound's MemoryPipelineStore over the source's active mappings
//                  as the live store loads them (priority, then age; mappings added by
//                  hand take part: they are part of what is applied); nothing written
//   Clock          the fixture's receivedAt: a fixture without a signature header is
//                  signed with the stored secret at that time (sign-fixture.ts), one
//                  that carries its own is verified as written
// The result `{ status, interaction }` is compared with the golden's (a no-match
// expectation is status 200 with interaction null) by the sandbox's golden comparison;
// generated ids differ (this run makes real ones), so a golden's "<id:1>"-style
// placeholder matches any string. Deliveries are not compared: a dry run sends none. Secrets are
// shown as "[redacted]" by the sandbox's redactor.
import { randomUUID } from "node:crypto";
import { db, prisma } from "@/lib/db";
import type { RevalidationDifferenceDto, RevalidationDto } from "@/lib/schemas/providerflow";
import { MemoryPipelineStore } from "@/lib/inbound/memory-store";
import type { SecretLookup } from "@/providerflow/compile";
import { formatLocation } from "@/providerflow/findings";
import { readFixture, type Fixture } from "@/providerflow/fixture";
import { compareGolden } from "@/providerflow/golden";
import { baseName, filesOfKind } from "@/providerflow/load-package";
import { parseJson } from "@/providerflow/parse";
import { secretRedactor } from "@/providerflow/redact";
import { sendFixture } from "@/providerflow/sandbox";
import type { LoadedUpload } from "./versions";
import { loadActiveMappings } from "@/lib/store/pipeline-store";
import { toSourceRecord } from "@/lib/store/source-lookup";

const PLACEHOLDER_RE = /^<id:\d+>$/;
const MAX_DIFFERENCES = 50;

type Outcome = { status: number; interaction: unknown };
type AppliedSource = Parameters<typeof toSourceRecord>[0];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

async function dryRun(orgId: string, source: AppliedSource, fixture: Fixture): Promise<Outcome> {
  const record = toSourceRecord(source);
  const store = new MemoryPipelineStore(new Map([[record.id, await loadActiveMappings(db().pool, orgId, record.id)]]));
  // The org's own package fixtures, validated on this thread as the sandbox does.
  const { response } = await sendFixture(record, { id: record.id }, fixture, store, randomUUID);
  const outcome = store.outcome;
  if (outcome?.kind !== "ready" || store.commit?.status !== "processed") return { status: response.status, interaction: null };
  const i = outcome.interaction;
  const interaction = {
    resourceType: i.mapping.resourceType,
    action: i.action,
    resourceId: i.resourceId,
    idempotencyKey: i.idempotencyKey,
    object: i.object,
  };
  return { status: response.status, interaction };
}

/** Re-runs every fixture against what the package's apply left in the org. */
export async function revalidate(orgId: string, upload: LoadedUpload, lookup: SecretLookup): Promise<RevalidationDto> {
  const { compiled, package: pkg } = upload.checked;
  const name = compiled.package.name;
  // The sandbox's redactor, so a secret is hidden here exactly as in evidence and goldens.
  const redact = secretRedactor(compiled.secretRefs.map(lookup).filter((v): v is string => typeof v === "string"));
  const applied = await prisma().inboundSource.findMany({ where: { orgId, managedBy: { startsWith: `${name}/` } } });
  const sources = new Map(applied.map((row) => [row.managedBy?.slice(name.length + 1) ?? "", row]));
  const goldens = new Map(filesOfKind(upload.files, "golden").map(([file, bytes]) => [baseName(file), { file, bytes }]));

  const fixtures: RevalidationDto["fixtures"] = [];
  for (const [file, bytes] of filesOfKind(upload.files, "fixture")) {
    const fixtureName = baseName(file);
    const fail = (message: string) => fixtures.push({ name: fixtureName, passed: false, diff: [{ pointer: "", message }] });
    const read = readFixture(file, bytes, pkg.contract);
    if (!read.ok) {
      fail(read.findings.map((f) => `${formatLocation(f)}: ${f.message}`).join("; "));
      continue;
    }
    const goldenFile = goldens.get(fixtureName);
    const golden = goldenFile ? parseJson(goldenFile.bytes, goldenFile.file) : null;
    if (!golden?.ok || !isRecord(golden.value) || typeof golden.value.status !== "number") {
      fail(`goldens/${fixtureName}.json is missing or has no status`);
      continue;
    }
    const row = sources.get(read.fixture.endpoint);
    if (!row) {
      fail(`endpoint "${read.fixture.endpoint}" has no applied source`);
      continue;
    }
    const source: AppliedSource = {
      ...row,
      slug: "",
      verification: row.verification as Record<string, unknown> | null,
      payloadSchema: row.payloadSchema as object | null,
    };
    const actual = await dryRun(orgId, source, read.fixture);
    const expected = { status: golden.value.status, interaction: golden.value.interaction ?? null };
    const diff: RevalidationDifferenceDto[] = compareGolden(redact(expected), redact(actual))
      .diff.filter((d) => !(typeof d.expected === "string" && PLACEHOLDER_RE.test(d.expected) && typeof d.actual === "string"))
      .slice(0, MAX_DIFFERENCES);
    fixtures.push({ name: fixtureName, passed: diff.length === 0, diff });
  }
  return { fixtures, passed: fixtures.every((f) => f.passed) };
}
