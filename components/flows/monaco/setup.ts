// Monaco for the console, loaded only by pages that edit (a dynamic import from
// code-editor.tsx). Everything comes from the app's own origin: the editor, its workers
// (bundled from the files beside this one) and the schemas (imported, never fetched).
// - provider-flow.yaml: monaco-yaml with the published contract schema, so completion,
//   hover docs and inline errors come from the same schema the CLI and server check.
// - JSON files: Monaco's JSON mode; package schemas (schemas/*.json) and JSON Schemas
//   edited in the console are checked against the JSON Schema meta-schema (draft-07's,
//   which the language service knows; the server's check is draft 2020-12's and its
//   findings come back as markers).
// - The page's CSP allows only styles with its nonce; Monaco adds <style> elements from
//   script, so those get the page's nonce (parser-inserted markup still needs it).
import * as monaco from "monaco-editor";
import { configureMonacoYaml } from "monaco-yaml";
import draft07 from "ajv/dist/refs/json-schema-draft-07.json";
import contractSchema from "@/providerflow/schema/provider-flow.schema.json";

export const CONTRACT_SCHEMA_URI = "inmemory://provenance/provider-flow.schema.json";
const META_SCHEMA_URI = "inmemory://provenance/json-schema-meta.json";

function giveScriptStylesTheNonce(): void {
  const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
  if (!nonce) return;
  const patch = <K extends "appendChild" | "insertBefore">(method: K) => {
    const original = Node.prototype[method] as (...args: unknown[]) => unknown;
    (Node.prototype as unknown as Record<string, unknown>)[method] = function (this: Node, ...args: unknown[]) {
      const child = args[0];
      if (child instanceof HTMLStyleElement && !child.nonce) child.nonce = nonce;
      return original.apply(this, args);
    };
  };
  patch("appendChild");
  patch("insertBefore");
}

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

let ready = false;

export function setupMonaco(): typeof monaco {
  if (ready) return monaco;
  ready = true;
  giveScriptStylesTheNonce();
  window.MonacoEnvironment = {
    getWorker(_moduleId: string, label: string) {
      if (label === "yaml") return new Worker(new URL("./yaml.worker.ts", import.meta.url), { type: "module", name: "yaml" });
      if (label === "json") return new Worker(new URL("./json.worker.ts", import.meta.url), { type: "module", name: "json" });
      return new Worker(new URL("./editor.worker.ts", import.meta.url), { type: "module", name: "editor" });
    },
  };
  configureMonacoYaml(monaco, {
    enableSchemaRequest: false,
    hover: true,
    completion: true,
    validate: true,
    schemas: [{ uri: CONTRACT_SCHEMA_URI, fileMatch: ["**/provider-flow.yaml"], schema: contractSchema as never }],
  });
  monaco.languages.json.jsonDefaults.setDiagnosticsOptions({
    validate: true,
    enableSchemaRequest: false,
    allowComments: false,
    schemas: [{ uri: META_SCHEMA_URI, fileMatch: ["**/schemas/*.json", "**/payload-schema.json"], schema: draft07 }],
  });
  return monaco;
}

export { monaco };
