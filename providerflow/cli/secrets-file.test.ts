import { describe, expect, test } from "vitest";
import { parseSecretsFile, secretResolver } from "./secrets-file";

describe("parseSecretsFile", () => {
  test("NAME=VALUE lines: comments, export, quotes, = inside values", () => {
    const parsed = parseSecretsFile(
      "# test secrets\n\nexport STRIPE_WEBHOOK_SECRET=whsec_abc=\nDW_TOKEN = \"a b\"\r\nAUDIT_API_KEY='x#y'\nEMPTY=\n",
    );
    expect(parsed).toEqual({
      ok: true,
      secrets: new Map([
        ["STRIPE_WEBHOOK_SECRET", "whsec_abc="],
        ["DW_TOKEN", "a b"],
        ["AUDIT_API_KEY", "x#y"],
        ["EMPTY", ""],
      ]),
    });
  });

  test("a JSON object", () => {
    expect(parseSecretsFile('\ufeff { "A_B": "1", "C": "two" }')).toEqual({
      ok: true,
      secrets: new Map([
        ["A_B", "1"],
        ["C", "two"],
      ]),
    });
  });

  test("problems name the line or key, never a value", () => {
    expect(parseSecretsFile("A=1\nthis is not a pair\n")).toEqual({ ok: false, message: "line 2: expected NAME=VALUE" });
    expect(parseSecretsFile("lower=topsecret")).toEqual({
      ok: false,
      message: 'line 1: "lower" is not a secret name (^[A-Z][A-Z0-9_]{0,127}$)',
    });
    expect(parseSecretsFile('{ "A": 1 }')).toEqual({ ok: false, message: "the value of A must be a string" });
    const broken = parseSecretsFile('{ "A": "topsecret" ');
    expect(broken).toEqual({ ok: false, message: "starts with { but is not valid JSON" });
    expect(JSON.stringify(broken)).not.toContain("topsecret");
  });
});

describe("secretResolver", () => {
  test("the file first, then the environment variable named by the secretRef; empty means unset", () => {
    const resolve = secretResolver(
      new Map([
        ["A", "from-file"],
        ["B", ""],
      ]),
      { A: "from-env", B: "env-b", C: "env-c", D: "" },
    );
    expect(["A", "B", "C", "D", "E", "lower"].map(resolve)).toEqual([
      "from-file",
      "env-b",
      "env-c",
      undefined,
      undefined,
      undefined,
    ]);
  });
});
