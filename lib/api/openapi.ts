// The OpenAPI 3.1 document, generated from the operation table (lib/api/operations.ts) and
// the same zod schemas that validate requests and type responses, so the published
// contract cannot drift from the code.
//
// Every schema with a `.meta({ id })` becomes a component. Requests are converted in
// zod's "input" view (defaults optional, extra keys tolerated) and responses in its
// "output" view (everything present, no extra keys). When one id looks different in the
// two views (e.g. Condition), the request-side copy is published as `<id>Input`.
import { z } from "zod";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import { ERROR_MESSAGE, ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { MAX_API_BODY_BYTES } from "./with-api";
import { ErrorDetail } from "@/lib/schemas/common";
import { MAX_PACKAGE_BODY_BYTES } from "@/lib/schemas/providerflow";
import { errorCodesOf, OPERATION_LIST, pathParamNames, TAG_DESCRIPTIONS, type Operation, type ResponseSpec } from "./operations";

type Json = Record<string, unknown>;
type Io = "input" | "output";
type AnyObject = z.ZodObject<z.ZodRawShape>;

const COMPONENT_REF = "#/components/schemas/";
const DEFS_REF = "#/$defs/";

/** Rewrites every `$ref` in a JSON value with `map`. */
function mapRefs(value: unknown, map: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, map));
  if (value && typeof value === "object") {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === "$ref" && typeof v === "string" ? map(v) : mapRefs(v, map);
    return out;
  }
  return value;
}

function refsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith(DEFS_REF)) into.add(v.slice(DEFS_REF.length));
      else refsIn(v, into);
    }
  }
  return into;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Converts zod schemas to JSON Schema, hoisting ids into components.schemas. */
class SchemaCollector {
  readonly components: Record<string, Json> = {};
  // The raw (unrewritten) definition of each id, per view, to compare the two views.
  readonly #raw: Record<Io, Record<string, Json>> = { input: {}, output: {} };

  convert(schema: z.ZodType, io: Io): Json {
    const js = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    delete js.$defs;
    delete js.$schema;
    for (const [id, def] of Object.entries(defs)) this.#raw[io][id] ??= def;

    // An input-view id clashes when an output view of that id exists and differs, or
    // refers to an id that clashes (fixpoint over the references). Ids only ever used
    // in requests keep their names.
    const renamed = new Set<string>();
    if (io === "input") {
      let changed = true;
      while (changed) {
        changed = false;
        for (const [id, def] of Object.entries(defs)) {
          if (renamed.has(id)) continue;
          const other = this.#raw.output[id];
          const clash = other !== undefined && (!same(other, def) || [...refsIn(def)].some((r) => renamed.has(r)));
          if (clash) {
            renamed.add(id);
            changed = true;
          }
        }
      }
    }
    const nameOf = (id: string) => (renamed.has(id) ? `${id}Input` : id);
    const rewrite = (ref: string) => (ref.startsWith(DEFS_REF) ? COMPONENT_REF + nameOf(ref.slice(DEFS_REF.length)) : ref);
    for (const [id, def] of Object.entries(defs)) {
      const name = nameOf(id);
      const body = mapRefs(def, rewrite) as Json;
      const existing = this.components[name];
      // Two different schemas under one id (or a response converted after a request
      // that claimed its name) would publish one of them wrongly: fail the build loudly.
      if (existing && !same(existing, body)) throw new Error(`OpenAPI: two different schemas share the id "${name}"`);
      this.components[name] = body;
    }
    return mapRefs(js, rewrite) as Json;
  }
}

const ROLE_TEXT: Record<Operation["auth"], string> = {
  reviewer: "Any role (reviewer, operator, admin).",
  operator: "Role operator or admin.",
  admin: "Role admin.",
  public: "No authentication.",
  signature: "No API token: the source's signature verification decides.",
  qstash: "Signed by QStash (Upstash-Signature).",
};

const ERROR_COMPONENT: Record<ErrorCode, string> = {
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "NotFound",
  validation_failed: "ValidationFailed",
  conflict: "Conflict",
  payload_too_large: "PayloadTooLarge",
  rate_limited: "RateLimited",
  busy: "Busy",
  internal: "InternalError",
};

/** Each error response body with its exact `error` string, as the spec fixes them. */
function errorSchema(code: ErrorCode): z.ZodType {
  const withDetails = code === "validation_failed" || code === "conflict";
  const shape = withDetails
    ? { error: z.literal(ERROR_MESSAGE[code]), details: z.array(ErrorDetail) }
    : { error: z.literal(ERROR_MESSAGE[code]) };
  const name = ERROR_COMPONENT[code];
  return z.object(shape).meta({ id: name.endsWith("Error") ? name : `${name}Error` });
}

const ERROR_DESCRIPTION: Record<ErrorCode, string> = {
  unauthorized: "Missing or bad token",
  forbidden:
    "The role may not do this, the x-provenance-org header names an org other than the token's, or a cookie-session write came from another origin",
  not_found: "Unknown id, malformed id, or an object of another org",
  validation_failed: "Invalid body or query; details point into the body (JSON Pointer) or at /query/<name>",
  conflict: "A unique name is taken (or the object's state forbids the operation)",
  payload_too_large: `Body over ${MAX_API_BODY_BYTES} bytes (${MAX_PACKAGE_BODY_BYTES} for the ProviderFlow routes that carry a package)`,
  rate_limited: "Too many requests",
  busy: "Too many payloads wait for the schema workers (PROVENANCE_SCHEMA_QUEUE); retry after Retry-After seconds",
  internal: "Unexpected failure; nothing internal is disclosed",
};

const json = (schema: Json) => ({ "application/json": { schema } });

function pathParameter(name: string, given: Json = { type: "string", format: "uuid" }): Json {
  const { description, ...schema } = given;
  return { name, in: "path", required: true, ...(typeof description === "string" ? { description } : {}), schema };
}

function queryParameters(c: SchemaCollector, query: AnyObject): Json[] {
  return Object.entries(query.shape).map(([name, field]) => {
    const schema = c.convert(field as z.ZodType, "input");
    const description = typeof schema.description === "string" ? schema.description : undefined;
    return {
      name,
      in: "query",
      required: !(field as z.ZodType).safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema,
    };
  });
}

function responseOf(c: SchemaCollector, r: ResponseSpec): Json {
  if (r.schema === null) return { description: r.description };
  const schemas = Array.isArray(r.schema) ? r.schema : [r.schema as z.ZodType];
  const converted = schemas.map((s) => c.convert(s, "output"));
  return { description: r.description, content: json(converted.length === 1 ? converted[0]! : { oneOf: converted }) };
}

function operationObject(c: SchemaCollector, op: Operation, ok: Record<string, Json>): Json {
  const role = op.authText ?? ROLE_TEXT[op.auth];
  const operation: Json = {
    operationId: op.id,
    summary: op.summary,
    tags: [op.tag],
    description: op.description ? `${role} ${op.description}` : role,
  };
  if (op.auth === "public" || op.auth === "signature" || op.auth === "qstash") operation.security = [];
  const parameters = [
    ...pathParamNames(op.path).map((name) => pathParameter(name, op.pathParams?.[name])),
    ...(op.query ? queryParameters(c, op.query) : []),
  ];
  if (parameters.length > 0) operation.parameters = parameters;
  if (op.body) operation.requestBody = { required: true, content: json(c.convert(op.body, "input")) };
  else if (op.rawBody) operation.requestBody = { required: true, description: op.rawBody, content: json({}) };
  operation.responses = {
    ...ok,
    ...Object.fromEntries(
      errorCodesOf(op)
        .filter((code) => !(String(ERROR_STATUS[code]) in ok))
        .map((code) => [String(ERROR_STATUS[code]), { $ref: `#/components/responses/${ERROR_COMPONENT[code]}` }]),
    ),
  };
  return operation;
}

function buildDocument(): Json {
  const c = new SchemaCollector();
  const paths: Record<string, Json> = {};
  const responses: Record<string, Json> = {};

  // Responses first, so request-side ids that differ are the ones renamed.
  for (const code of Object.keys(ERROR_COMPONENT) as ErrorCode[]) {
    responses[ERROR_COMPONENT[code]] = {
      description: ERROR_DESCRIPTION[code],
      content: json(c.convert(errorSchema(code), "output")),
    };
  }
  const published = OPERATION_LIST.filter((op) => !op.internal);
  // Every operation's own answers before any request body, so request-side ids that
  // differ are the ones renamed.
  const own = published.map((op) =>
    Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, responseOf(c, r)])),
  );
  published.forEach((op, i) => {
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(c, op, own[i]!);
  });

  return {
    openapi: "3.1.0",
    info: {
      title: "Provenance API",
      version: "1.0.0",
      description:
        "Management API (sources, mappings, interactions, events, targets, routes, deliveries, API tokens, secrets, ProviderFlow) and the inbound webhook URLs.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: Object.entries(TAG_DESCRIPTIONS)
      .filter(([name]) => published.some((op) => op.tag === name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(c.components).sort(([a], [b]) => a.localeCompare(b))),
      responses,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token (prv_…); its role limits what it may do" },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "The console's session; writes must come from the app's own origin",
        },
      },
    },
  };
}

let cached: Json | undefined;

/** The document, built once per process (the schemas are static). */
export function openApiDocument(): Json {
  cached ??= buildDocument();
  return cached;
}
