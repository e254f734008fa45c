"use client";
// The mapping tester (POST /api/v1/inbound-mappings/:id/test): paste a payload, see
// whether this mapping would match it, each condition with the value it found, the
// schema errors, and the interaction it would make. A dry run: nothing is written.
import { useState, type FormEvent } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { JsonEditor } from "@/components/ui/json-editor";
import { DataTable } from "@/components/ui/table";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { MappingTestResultDto } from "@/lib/api/schemas/mapping-test";
import { apiFetch } from "@/lib/ui/api-fetch";
import { conditionText } from "@/lib/ui/conditions";

const show = (v: unknown) => (v === undefined ? "(nothing there)" : JSON.stringify(v));

export function MappingTester({ mappingId, initialPayload }: { mappingId: string; initialPayload: string }) {
  const [payload, setPayload] = useState(initialPayload);
  const [payloadError, setPayloadError] = useState<string | null>(null);
  const test = useApiMutation({
    mutationFn: (body: { payload: unknown }) =>
      apiFetch<MappingTestResultDto>("POST", `/api/v1/inbound-mappings/${encodeURIComponent(mappingId)}/test`, body),
  });

  function run(event: FormEvent) {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (err) {
      setPayloadError(`The payload is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      test.reset();
      return;
    }
    setPayloadError(null);
    test.mutate({ payload: parsed });
  }

  return (
    <div className="stack tester">
      <form className="form" onSubmit={run} aria-label="Test a payload">
        <JsonEditor
          label="Payload (JSON)"
          path="tester/payload.json"
          value={payload}
          onChange={setPayload}
          rows={14}
          disabled={test.isPending}
          error={payloadError ?? test.fieldErrors.payload}
        />
        <div>
          <Button type="submit" variant="primary" busy={test.isPending} busyLabel="Testing…">
            Test this payload
          </Button>
        </div>
      </form>
      <ProblemBox problem={test.problemBeyond(["payload"])} />
      {test.data && !payloadError ? <TestResult result={test.data} /> : null}
    </div>
  );
}

function TestResult({ result }: { result: MappingTestResultDto }) {
  return (
    <div className="stack" data-testid="test-result">
      <p>
        <span className={`badge ${result.matched ? "badge-ok" : "status-unmatched"}`} data-testid="test-matched">
          {result.matched ? "Matches" : "Does not match"}
        </span>{" "}
        {result.duplicate ? <span className="badge status-duplicate">would be a duplicate</span> : null}
      </p>
      {result.conditions.length > 0 ? (
        <DataTable columns={["Condition", "Found", "Result"]} className="table-compact" testId="test-conditions">
          {result.conditions.map((c, i) => (
            <tr key={i}>
              <td className="mono small">{conditionText(c)}</td>
              <td className="mono small">{show(c.actual)}</td>
              <td>
                <span className={`badge ${c.pass ? "badge-ok" : "status-failed"}`}>{c.pass ? "pass" : "fail"}</span>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {result.schemaErrors.length > 0 ? (
        <div className="small" data-testid="test-schema-errors">
          <strong>The mapping&apos;s payload schema refuses it:</strong>
          <ul>
            {result.schemaErrors.map((e, i) => (
              <li key={i}>
                <code className="mono">{e.path || "/"}</code> {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {result.interaction ? (
        <>
          <p className="small">
            Would create <strong>{result.interaction.resourceType}</strong> · {result.interaction.action}, resource{" "}
            <code className="mono">{result.interaction.resourceId}</code>
            {result.interaction.idempotencyKey ? (
              <>
                , idempotency key <code className="mono">{result.interaction.idempotencyKey}</code>
              </>
            ) : null}
            :
          </p>
          <pre className="trace-detail" data-testid="test-interaction">
            {JSON.stringify(result.interaction.object, null, 2)}
          </pre>
        </>
      ) : null}
    </div>
  );
}
