// The TypeScript SDK's types are generated from the OpenAPI document: this fails when the
// checked-in sdk/typescript/src/types.gen.ts is stale. UPDATE_SDK_TYPES=1 rewrites it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { generateSdkTypes, typeOf } from "./sdk-types";

const FILE = path.resolve(import.meta.dirname, "../../sdk/typescript/src/types.gen.ts");
const isSdkPath = (p: string) => p.startsWith("/api/v1/");

describe("the SDK's generated types", () => {
  it("are what the OpenAPI document gives today", () => {
    const text = generateSdkTypes(openApiDocument(), isSdkPath);
    if (process.env.UPDATE_SDK_TYPES === "1") fs.writeFileSync(FILE, text);
    expect(fs.readFileSync(FILE, "utf8"), "run UPDATE_SDK_TYPES=1 npx vitest run --project unit lib/api/sdk-types.test.ts").toBe(
      text,
    );
  });

  it("describe every management operation with its body, query and answer", () => {
    const text = fs.readFileSync(FILE, "utf8");
    expect(text).toContain("export type Source = {");
    expect(text).toMatch(/createInboundSource: \{\n    method: "POST";\n    path: "\/api\/v1\/inbound-sources";/);
    expect(text).toContain("export type ListEventsQuery = {");
    expect(text).toContain("export type DeleteInboundSourceResponse = void;");
  });

  it("maps JSON Schema to TypeScript", () => {
    expect(typeOf({ type: "string", enum: ["a", "b"] })).toBe('"a" | "b"');
    expect(typeOf({ anyOf: [{ type: "string" }, { type: "null" }] })).toBe("string | null");
    expect(typeOf({ type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }] } })).toBe("(string | number)[]");
    expect(typeOf({ $ref: "#/components/schemas/Source" })).toBe("Source");
    expect(
      typeOf({
        type: "object",
        properties: { a: { type: "integer" }, "b-c": { const: true } },
        required: ["a"],
        additionalProperties: false,
      }),
    ).toBe('{\n  a: number;\n  "b-c"?: true;\n}');
    expect(typeOf({ type: "object", additionalProperties: { type: "string" } })).toBe("{\n  [key: string]: string;\n}");
    expect(typeOf({ not: {} })).toBe("unknown");
  });
});
