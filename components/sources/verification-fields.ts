// The source form's verification settings as form fields, and the `verification`
// object it sends. PATCH replaces verification as a whole (only an omitted secret is
// kept), so the form always sends every setting, prefilled from the stored ones: an
// edit, a secret rotation included, changes only what the operator changed.
import type { VerificationDto } from "@/lib/schemas/sources";
import type { HmacAlgorithm, SignatureEncoding, VerificationPreset } from "@/lib/inbound/types";

export type VerificationFields = {
  preset: VerificationPreset;
  /** hmac only: the other presets fix header, prefix, algorithm and encoding. */
  header: string;
  prefix: string;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  timestampField: string;
  /** Seconds as typed; empty sends null (the preset's default, 300 s where it signs a timestamp). */
  replayTolerance: string;
};

export function verificationFieldsOf(v: VerificationDto | null | undefined, preset: VerificationPreset = "stripe"): VerificationFields {
  if (!v) return { preset, header: "", prefix: "", algorithm: "sha256", encoding: "hex", timestampField: "", replayTolerance: "" };
  const hmac = v.preset === "hmac";
  return {
    preset: v.preset,
    header: hmac ? v.header : "",
    prefix: hmac ? (v.prefix ?? "") : "",
    algorithm: hmac ? v.algorithm : "sha256",
    encoding: hmac ? v.encoding : "hex",
    timestampField: v.timestampField ?? "",
    replayTolerance: v.replayTolerance === null ? "" : String(v.replayTolerance),
  };
}

/**
 * The fields after the operator picks another preset: hmac's own settings start from
 * its defaults, and a tolerance without a timestamp field (a preset's default, shown
 * filled in) is cleared, since the new preset may sign no timestamp to apply it to.
 */
export function withPreset(f: VerificationFields, preset: VerificationPreset): VerificationFields {
  if (preset === f.preset) return f;
  const cleared = verificationFieldsOf(null, preset);
  return { ...cleared, timestampField: f.timestampField, replayTolerance: f.timestampField.trim() ? f.replayTolerance : "" };
}

/** The `verification` object of a create or update request, without the secret. */
export function verificationBody(f: VerificationFields): Record<string, unknown> {
  const body: Record<string, unknown> = { preset: f.preset };
  if (f.preset === "hmac") {
    if (f.header.trim() !== "") body.header = f.header.trim();
    body.prefix = f.prefix === "" ? null : f.prefix;
    body.algorithm = f.algorithm;
    body.encoding = f.encoding;
  }
  body.timestampField = f.timestampField.trim() === "" ? null : f.timestampField.trim();
  // A value that is not a whole number is sent as typed, so the API's 400 names it.
  const tolerance = f.replayTolerance.trim();
  body.replayTolerance = tolerance === "" ? null : /^\d+$/.test(tolerance) ? Number(tolerance) : tolerance;
  return body;
}

/** Whether the operator changed a setting (the secret aside) from the stored ones. */
export function verificationChanged(stored: VerificationDto | null | undefined, f: VerificationFields): boolean {
  if (!stored) return true;
  return JSON.stringify(verificationBody(verificationFieldsOf(stored))) !== JSON.stringify(verificationBody(f));
}
