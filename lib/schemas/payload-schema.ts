// A user-supplied JSON Schema (draft 2020-12) for payloads: a JSON object that AJV, as
// configured for the pipeline, accepts and compiles. Checked at save time so a bad
// schema is a 400 now rather than a failure on every delivery later.
import { z } from "zod";
import { checkJsonSchema } from "@/lib/inbound/validate-schema";
import { pointerSegments } from "./common";

export const PayloadSchema = z
  .record(z.string(), z.unknown())
  .superRefine((schema, ctx) => {
    for (const d of checkJsonSchema(schema, "")) ctx.addIssue({ code: "custom", path: pointerSegments(d.path), message: d.message });
  })
  .meta({ id: "PayloadSchema", description: "A JSON Schema (draft 2020-12) object, validated with AJV" });
