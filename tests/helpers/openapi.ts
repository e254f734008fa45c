// Validates real responses against the published OpenAPI document: the operation's own
// response schema, compiled by AJV (draft 2020-12) with refs resolved inside the document.
import Ajv2020 from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { escapePointerToken } from "@/lib/inbound/paths";

type Doc = Record<string, unknown>;

const DOC_ID = "https://provenance.test/openapi.json";

function at(doc: unknown, pointer: string[]): unknown {
  let cur = doc;
  for (const key of pointer) cur = (cur as Record<string, unknown> | undefined)?.[key];
  return cur;
}

export function responseChecker(doc: Doc) {
  // strict off: the document is not itself a JSON Schema (openapi, paths, info, …).
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, DOC_ID);
  const compiled = new Map<string, ValidateFunction>();

  /** The pointer of an operation's JSON response schema, following a components/responses $ref. */
  function schemaPointer(path: string, method: string, status: number): string[] {
    let base = ["paths", path, method, "responses", String(status)];
    const response = at(doc, base) as { $ref?: string } | undefined;
    if (!response) throw new Error(`${method.toUpperCase()} ${path} documents no ${status} response`);
    if (response.$ref) base = response.$ref.replace(/^#\//, "").split("/");
    return [...base, "content", "application/json", "schema"];
  }

  return function check(path: string, method: string, status: number, body: unknown): void {
    const pointer = schemaPointer(path, method, status);
    const ref = `${DOC_ID}#/${pointer.map((t) => encodeURIComponent(escapePointerToken(t))).join("/")}`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    if (!validate(body)) {
      throw new Error(`${method.toUpperCase()} ${path} ${status} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    }
  };
}
