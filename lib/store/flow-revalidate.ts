// Prod revalidation (spec providerflow.md §5): after an apply, every fixture of the
// package is re-run as a dry run against the configuration the apply left in the org,
// and compared with its golden. Nothing is written: no event, no interaction.
//
// Per fixture (read by the sandbox's own reader, providerflow/fixture.ts), with the
// pipeline's own stage functions:
//   stages 2–3   verifyAndValidate (lib/inbound/pipeline.ts) against the applied source,
//                at the fixture's receivedAt: a fixture without a signature header is
//                signed with the secret now stored on the source, as the sandbox signs
//                it (sign-fixture.ts); one that carries its own is verified as written.
//                Then the source schema.
//   stages 4–7   the mapping test (lib/api/test-mapping.ts) for each active mapping of
//                the applied source in pipeline order (priority, then age) until one
//                matches, exactly as selection picks the first match. Mappings added
//                to the source by hand take part: they are part of what is applied.
// The result `{ status, interaction }` is compared with the golden's (a no-match
// expectation is status 200 with interaction null) by the sandbox's golden comparison;
// a generated-id placeholder ("<id:1>") in the golden matches any string, since the
// mapping test generates real ids. Deliveries are not compared: a dry run sends none.
// Secrets are shown as "[redacted]" by the sandbox's redactor.
import { prisma } from "@/lib/db";
import type { MappingTestRequestInput } from "@/lib/api/schemas/mapping-test";
import type { RevalidationDifferenceDto, RevalidationDto } from "@/lib/api/schemas/providerflow";
import { testMapping } from "@/lib/api/test-mapping";
import { extractSchemaRoot } from "@/lib/inbound/build-interaction";
import { verifyAndValidate } from "@/lib/inbound/pipeline";
import { validateAgainstSchema, validateInProcess } from "@/lib/inbound/validate-schema";
import type { SecretLookup } from "@/providerflow/compile";
import { formatLocation } from "@/providerflow/findings";
import { readFixture, type Fixture } from "@/providerflow/fixture";
import { compareGolden } from "@/providerflow/golden";
import { baseName, filesOfKind } from "@/providerflow/load-package";
import { parseJson } from "@/providerflow/parse";
import { secretRedactor } from "@/providerflow/redact";
import { fixtureRequestHeaders } from "@/providerflow/sign-fixture";
import type { LoadedUpload } from "./flow-versions";
import { listMappings } from "./mappings";
import { toSourceRecord } from "./source-lookup";

const PLACEHOLDER_RE = /^<id:\d+>$/;
const MAX_DIFFERENCES = 50;

type Outcome = { status: number; interaction: unknown };
type AppliedSource = Parameters<typeof toSourceRecord>[0];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

async function dryRun(orgId: string, source: AppliedSource, fixture: Fixture): Promise<Outcome> {
  const record = toSourceRecord(source);
  const { headers } = fixtureRequestHeaders(record.verification, fixture);
  // The org's own package fixtures, validated on this thread as the sandbox does.
  const early = await verifyAndValidate(record, headers, fixture.body, fixture.receivedAtMs, validateInProcess);
  if (!early.ok) return { status: early.response.status, interaction: null };
  if (early.handshake) return { status: 200, interaction: null };

  const mappings = (await listMappings(orgId, { sourceId: source.id })).filter((m) => m.active);
  for (const mapping of mappings) {
    // JSON.parse never yields undefined, which is all the request type rules out.
    // With the fixture's headers, as the live route would read them ($headers.… paths).
    const result = await testMapping(orgId, mapping.id, { payload: early.payload as MappingTestRequestInput["payload"], headers });
    if (!result.matched) continue;
    if (result.interaction) return { status: 200, interaction: result.interaction };
    // The live route answers 400 for a mapping schema failure, 422 when building fails.
    const schemaFailed =
      mapping.payloadSchema !== null &&
      !validateAgainstSchema(mapping.payloadSchema, extractSchemaRoot(early.payload, mapping.schemaRootPath)).ok;
    return { status: schemaFailed ? 400 : 422, interaction: null };
  }
  return { status: 200, interaction: null };
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
