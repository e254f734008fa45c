// What the source form sends (POST /api/v1/inbound-sources, PATCH …/:id). A PATCH's
// `verification` replaces the settings as a whole, so rotating the secret under the same
// preset sends every stored setting back with the new secret: a timestampField, a
// replayTolerance or a custom header set through the API must not be lost because the
// form does not show it.
import type { SourceDto } from "@/lib/api/schemas/sources";

export const NO_VERIFICATION = "none";

export type SourceFormValues = {
  title: string;
  mnemonic: string;
  description: string;
  active: boolean;
  /** A preset name, or NO_VERIFICATION. */
  preset: string;
  /** Empty keeps the stored secret. */
  secret: string;
  payloadSchema: unknown;
};

export function sourceRequestBody(source: SourceDto | undefined, form: SourceFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: form.title,
    mnemonic: form.mnemonic,
    description: form.description.trim() || null,
    payloadSchema: form.payloadSchema ?? null,
  };
  const stored = source?.verification ?? null;
  const presetChanged = form.preset !== (stored?.preset ?? NO_VERIFICATION);
  if (form.preset === NO_VERIFICATION) {
    if (!source || presetChanged) body.verification = null;
  } else if (!source || !stored || presetChanged) {
    // A new preset starts from that preset's defaults.
    body.verification = form.secret === "" ? { preset: form.preset } : { preset: form.preset, secret: form.secret };
  } else if (form.secret !== "") {
    const settings: Record<string, unknown> = { ...stored };
    delete settings.secretHint;
    body.verification = { ...settings, secret: form.secret };
  }
  if (source) body.active = form.active;
  return body;
}
