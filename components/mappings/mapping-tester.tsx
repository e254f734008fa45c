"use client";
// The mapping tester (POST /api/v1/inbound-mappings/:id/test): paste a payload (and the
// request's headers and query, for paths that read $headers.… and $query.…), see whether
// this mapping would match it, each condition with the value it found, the schema
// errors, and the interaction it would make. A dry run: nothing is written.
import { StatusBadge } from "@/components/ui/status-badge";
import { useState, type FormEvent } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { JsonEditor } from "@/components/ui/json-editor";
import { DataTable } from "@/components/ui/table";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { MappingTestResultDto } from "@/lib/schemas/mapping-test";
import { apiFetch } from "@/lib/ui/api-fetch";
import { conditionText } from "@/lib/ui/conditions";

const show = (v: unknown) => (v === undefined ? "(nothing there)" : JSON.stringify(v));

type Errors = { payload?: string; headers?: string; query?: string };

/** A JSON object of strings (headers, query), or what is wrong with the text; empty text is none. */
function stringRecord(text: string, what: string): { ok: true; value: Record<string, string> | undefined } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `The ${what} are not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    return { ok: false, message: `The ${what} must be a JSON object of strings, e.g. { "x-github-event": "push" }` };
  }
  return { ok: true, value: value as Record<string, string> };
}

export function MappingTester({
  mappingId,
  initialPayload,
  initialHeaders = "",
  initialQuery = "",
}: {
  mappingId: string;
  initialPayload: string;
  initialHeaders?: string;
  initialQuery?: string;
}) {
  const [payload, setPayload] = useState(initialPayload);
  const [headers, setHeaders] = useState(initialHeaders);
  const [query, setQuery] = useState(initialQuery);
  const [errors, setErrors] = useState<Errors>({});
  const test = useApiMutation({
    mutationFn: (body: { payload: unknown; headers?: Record<string, string>; query?: Record<string, string> }) =>
      apiFetch<MappingTestResultDto>("POST", `/api/v1/inbound-mappings/${encodeURIComponent(mappingId)}/test`, body),
  });

  function run(event: FormEvent) {
    event.preventDefault();
    const found: Errors = {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (err) {
      found.payload = `The payload is not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
    }
    const h = stringRecord(headers, "headers");
    const q = stringRecord(query, "query parameters");
    if (!h.ok) found.headers = h.message;
    if (!q.ok) found.query = q.message;
    setErrors(found);
    if (Object.keys(found).length > 0 || !h.ok || !q.ok) return test.reset();
    test.mutate({ payload: parsed, ...(h.value ? { headers: h.value } : {}), ...(q.value ? { query: q.value } : {}) });
  }
  const payloadError = errors.payload ?? null;

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
        <div className="grid-2">
          <JsonEditor
            label="Headers (JSON object, optional)"
            path="tester/headers.json"
            value={headers}
            onChange={setHeaders}
            rows={6}
            disabled={test.isPending}
            error={errors.headers ?? test.fieldErrors.headers}
          />
          <JsonEditor
            label="Query parameters (JSON object, optional)"
            path="tester/query.json"
            value={query}
            onChange={setQuery}
            rows={6}
            disabled={test.isPending}
            error={errors.query ?? test.fieldErrors.query}
          />
        </div>
        <div>
          <Button type="submit" variant="primary" busy={test.isPending} busyLabel="Testing…">
            Test this payload
          </Button>
        </div>
      </form>
      <ProblemBox problem={test.problemBeyond(["payload", "headers", "query"])} />
      {test.data && Object.keys(errors).length === 0 ? <TestResult result={test.data} /> : null}
    </div>
  );
}

function DetailList({ details }: { details: { path: string; message: string }[] }) {
  return (
    <ul>
      {details.map((e, i) => (
        <li key={i}>
          <code className="mono">{e.path || "/"}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}

function TestResult({ result }: { result: MappingTestResultDto }) {
  return (
    <div className="stack" data-testid="test-result">
      <p>
        <StatusBadge status={result.matched ? "matches" : "unmatched"} label={result.matched ? "Matches" : "Does not match"} testId="test-matched" />{" "}
        {result.duplicate ? <StatusBadge status="duplicate" label="would be a duplicate" /> : null}
        {result.failure ? <StatusBadge status="failed" label={`would be refused (${result.failure.status})`} testId="test-verdict" /> : null}
      </p>
      {result.conditions.length > 0 ? (
        <DataTable columns={["Condition", "Found", "Result"]} className="table-compact" testId="test-conditions">
          {result.conditions.map((c, i) => (
            <tr key={i}>
              <td className="mono small">{conditionText(c)}</td>
              <td className="mono small">{show(c.actual)}</td>
              <td>
                <StatusBadge status={c.pass ? "pass" : "fail"} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {result.schemaErrors.length > 0 ? (
        <div className="small" data-testid="test-schema-errors">
          <strong>The mapping&apos;s payload schema refuses it:</strong>
          <DetailList details={result.schemaErrors} />
        </div>
      ) : null}
      {result.failure && result.failure.stage === "interaction" ? (
        <div className="small" data-testid="test-failure">
          <strong>
            A delivery would be refused ({result.failure.status} {result.failure.error}):
          </strong>
          <DetailList details={result.failure.details} />
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
