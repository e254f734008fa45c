// Generates the TypeScript SDK's types (sdk/typescript/src/types.gen.ts) from the OpenAPI
// document: one type per component schema, and per management operation its method, path,
// path parameters, query, body and success response. `lib/api/sdk-types.test.ts` fails
// when the checked-in file differs from what this produces (UPDATE_SDK_TYPES=1 rewrites it),
// so the SDK's types cannot drift from the API.
//
// Only the JSON Schema the document uses is understood (what zod's converter emits):
// $ref, type (and type arrays), properties/required/additionalProperties, items, enum,
// const, anyOf/oneOf/allOf. Anything else becomes `unknown`, never a wrong type.

type Json = Record<string, unknown>;
const REF = "#/components/schemas/";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string) => (IDENT.test(name) ? name : JSON.stringify(name));

function doc(description: unknown, indent: string): string {
  if (typeof description !== "string" || description.length === 0) return "";
  return `${indent}/** ${description.replace(/\*\//g, "*\\/").replace(/\n/g, ` `)} */\n`;
}

/** The TypeScript type of a JSON Schema, on one line or indented blocks. */
export function typeOf(schema: unknown, indent = ""): string {
  if (schema === true || schema === undefined) return "unknown";
  if (schema === false) return "never";
  if (!schema || typeof schema !== "object") return "unknown";
  const s = schema as Json;
  if (typeof s.$ref === "string") return s.$ref.startsWith(REF) ? s.$ref.slice(REF.length) : "unknown";
  if ("const" in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ") || "never";
  for (const combinator of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(s[combinator])) return union((s[combinator] as unknown[]).map((x) => typeOf(x, indent)));
  }
  if (Array.isArray(s.allOf)) return (s.allOf as unknown[]).map((x) => wrap(typeOf(x, indent))).join(" & ") || "unknown";
  if (Array.isArray(s.type)) return union((s.type as unknown[]).map((t) => typeOf({ ...s, type: t }, indent)));
  switch (s.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return `${wrap(typeOf(s.items ?? true, indent))}[]`;
    case "object":
      return objectType(s, indent);
    default:
      return "unknown";
  }
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  if (unique.includes("unknown")) return "unknown";
  return unique.join(" | ") || "never";
}

/** Parenthesised when it would not bind as one operand of `[]` or `&`. */
const wrap = (t: string) => (/^[A-Za-z0-9_$."]+$/.test(t) || (t.startsWith("{") && t.endsWith("}")) ? t : `(${t})`);

function objectType(s: Json, indent: string): string {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set((s.required ?? []) as string[]);
  const inner = `${indent}  `;
  const lines = Object.entries(props).map(
    ([name, prop]) =>
      `${doc((prop as Json)?.description, inner)}${inner}${key(name)}${required.has(name) ? "" : "?"}: ${typeOf(prop, inner)};`,
  );
  const extra = s.additionalProperties;
  if (extra !== undefined && extra !== false) {
    lines.push(
      `${inner}[key: string]: ${extra === true || Object.keys(extra as Json).length === 0 ? "unknown" : typeOf(extra, inner)};`,
    );
  }
  if (lines.length === 0) return "Record<string, never>";
  return `{\n${lines.join("\n")}\n${indent}}`;
}

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

type OperationObject = {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

/** The generated module's text. `isSdkPath` picks the operations the SDK covers. */
export function generateSdkTypes(document: Json, isSdkPath: (path: string) => boolean): string {
  const out: string[] = [
    "// Generated from the OpenAPI document by lib/api/sdk-types.ts: do not edit.",
    "// Regenerate: UPDATE_SDK_TYPES=1 npx vitest run --project unit lib/api/sdk-types.test.ts",
    "",
  ];
  const schemas = ((document.components as Json).schemas ?? {}) as Record<string, Json>;
  for (const [name, schema] of Object.entries(schemas)) {
    out.push(`${doc(schema.description, "")}export type ${name} = ${typeOf(schema)};`, "");
  }

  const operations: string[] = [];
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, OperationObject>>)) {
    if (!isSdkPath(path)) continue;
    for (const [method, op] of Object.entries(methods)) {
      const name = pascal(op.operationId);
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === "path").map((p) => `${key(p.name)}: string;`);
      const query = params.filter((p) => p.in === "query");
      if (query.length > 0) {
        const fields = query.map(
          (p) => `${doc(p.description, "  ")}  ${key(p.name)}${p.required ? "" : "?"}: ${typeOf(p.schema, "  ")};`,
        );
        out.push(`export type ${name}Query = {\n${fields.join("\n")}\n};`, "");
      }
      const body = op.requestBody?.content?.["application/json"]?.schema;
      if (body !== undefined) out.push(`export type ${name}Body = ${typeOf(body)};`, "");
      const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      const responses = ok.map(([, r]) => {
        const schema = r.content?.["application/json"]?.schema;
        return schema === undefined ? "void" : typeOf(schema);
      });
      out.push(`export type ${name}Response = ${union(responses)};`, "");
      operations.push(
        [
          `  ${op.operationId}: {`,
          `    method: ${JSON.stringify(method.toUpperCase())};`,
          `    path: ${JSON.stringify(path)};`,
          `    pathParams: ${pathParams.length > 0 ? `{ ${pathParams.join(" ")} }` : "Record<string, never>"};`,
          `    query: ${query.length > 0 ? `${name}Query` : "never"};`,
          `    body: ${body !== undefined ? `${name}Body` : "never"};`,
          `    response: ${name}Response;`,
          `  };`,
        ].join("\n"),
      );
    }
  }
  out.push("/** Every operation the SDK covers: method, path, path parameters, query, body and success response. */");
  out.push(`export interface Operations {\n${operations.join("\n")}\n}`, "");
  return out.join("\n");
}
