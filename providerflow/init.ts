// `providerflow init`: a minimal package that is valid and passes `test` as written:
// one endpoint, one target, one flow, a fixture the flow handles and one it does not
// (so the filter is seen passing and failing), and their goldens. The goldens are not
// typed out here: they are the sandbox's own results for the fixtures, so they match
// by construction and stay right when the sandbox's output shape changes.
//
// The endpoint verifies no signature, so the skeleton needs no secret to pass `test`;
// the scan warns about it (unverified-endpoint) and the YAML says how to add one.

import { packageFromFiles } from "./load-package";
import { evaluatePackage } from "./evaluate";
import { renderGolden } from "./golden";

export const NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export type InitResult = { ok: true; files: Map<string, string> } | { ok: false; message: string };

/** "My Payments_2" → "my-payments-2"; null when nothing usable is left. */
export function packageNameFrom(text: string): string | null {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return NAME_RE.test(name) ? name : null;
}

function contractText(name: string, provider: string): string {
  const upper = `${provider.toUpperCase().replace(/-/g, "_")}_WEBHOOK_SECRET`;
  // A secretRef starts with a letter; a provider may start with a digit.
  const secretRef = /^[A-Z]/.test(upper) ? upper : "WEBHOOK_SECRET";
  return `# ${name}: ${provider} webhooks, as a ProviderFlow package.
#   providerflow validate <dir>   contract checks and scans
#   providerflow test <dir>       every fixture through the sandbox, compared with its golden
apiVersion: providerflow/v1
name: ${name}
version: 0.1.0
provider: ${provider}
description: ${provider} events delivered to one target

endpoints:
  - name: webhook
    provider: ${provider}
    # Verify signatures before going live (the scan warns until you do), e.g.
    #   verification: { preset: hmac, secretRef: ${secretRef} }
    # then give the sandbox the secret: providerflow test <dir> --secrets <file>

targets:
  - name: example-target
    url: https://example.com/webhooks/${provider}

flows:
  - name: events
    endpoint: webhook
    target: example-target
    steps:
      - filter: { all: [ { path: type, op: exists } ] }
      - map:
          resourceType: event
          action: { path: type }
          resourceIdPath: id
          idempotencyPath: id
`;
}

const README = (name: string, provider: string) => `# ${name}

${provider} webhooks into one target. Edit \`provider-flow.yaml\`, add a fixture per kind
of request under \`fixtures/\`, then run \`providerflow test <dir> --update\` to write the
goldens and read their diff before committing them.
`;

const FIXTURES: Readonly<Record<string, unknown>> = {
  event: {
    description: "An event the flow handles",
    headers: { "content-type": "application/json" },
    body: { id: "evt_1", type: "example.created", data: { name: "example" } },
  },
  "no-type": {
    description: "A request without a type: no flow matches, the route answers 200 without an interaction",
    headers: { "content-type": "application/json" },
    body: { id: "evt_2" },
  },
};

/**
 * The files of a new package (path → text), goldens included. Fails only for a name or
 * provider outside the grammar (`^[a-z0-9][a-z0-9-]{0,62}$`).
 */
export async function initPackage(opts: { name: string; provider: string }): Promise<InitResult> {
  const { name, provider } = opts;
  if (!NAME_RE.test(provider)) return { ok: false, message: `provider "${provider}" must match ${NAME_RE.source}` };
  if (!NAME_RE.test(name)) return { ok: false, message: `name "${name}" must match ${NAME_RE.source}` };
  const files = new Map<string, string>([
    ["provider-flow.yaml", contractText(name, provider)],
    ["README.md", README(name, provider)],
  ]);
  for (const [fixture, content] of Object.entries(FIXTURES)) {
    files.set(`fixtures/${fixture}.json`, `${JSON.stringify(content, null, 2)}\n`);
  }
  const loaded = packageFromFiles(files);
  if (!loaded.ok) throw new Error(`internal: the init skeleton does not load: ${loaded.findings.map((f) => f.code).join(", ")}`);
  // No verification, so no secret is ever looked up.
  const evaluation = await evaluatePackage(loaded.files, { secrets: () => undefined });
  for (const fixture of Object.keys(FIXTURES)) {
    const result = evaluation.results[fixture];
    if (!result) throw new Error(`internal: the init skeleton's fixture ${fixture} did not run`);
    files.set(`goldens/${fixture}.json`, renderGolden(result));
  }
  return { ok: true, files };
}
