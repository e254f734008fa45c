import { describe, expect, test } from "vitest";
import {
  MAX_ALIAS_EXPANSION_NODES,
  MAX_YAML_ALIASES,
  MAX_YAML_DEPTH,
  findExcessiveNesting,
  jsonSyntaxErrorOffset,
  parseJson,
  parseYaml,
  type YamlParse,
} from "./parse";

const FILE = "provider-flow.yaml";

function findingsOf(result: YamlParse) {
  if (result.ok) throw new Error("expected findings");
  return result.findings;
}

function valueOf(result: YamlParse): unknown {
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.findings)}`);
  return result.value;
}

describe("parseYaml: syntax errors carry line and column", () => {
  test("an unclosed flow mapping", () => {
    const text =
      "apiVersion: providerflow/v1\nendpoints:\n  - name: hook\n    verification: { preset: stripe, secretRef: X\ntargets: []\n";
    const [first] = findingsOf(parseYaml(text, FILE));
    expect(first).toMatchObject({ code: "yaml-syntax", file: FILE, line: 5, column: 1 });
    expect(first?.message).not.toContain("\n");
  });

  test("a tab used as indentation", () => {
    const findings = findingsOf(parseYaml("a:\n\tb: 1\n", FILE));
    expect(findings[0]).toMatchObject({ code: "yaml-syntax", line: 2, column: 1 });
  });

  test("a duplicate key, at the second occurrence", () => {
    const findings = findingsOf(parseYaml("name: a\nversion: 1.0.0\nname: b\n", FILE));
    expect(findings).toEqual([
      { code: "yaml-duplicate-key", message: "Map keys must be unique", file: FILE, line: 3, column: 1 },
    ]);
  });

  test("several documents in one file", () => {
    expect(findingsOf(parseYaml("a: 1\n---\nb: 2\n", FILE))[0]).toMatchObject({ code: "yaml-multiple-documents", line: 2 });
  });

  test("bytes that are not UTF-8", () => {
    expect(findingsOf(parseYaml(new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe]), FILE))).toEqual([
      { code: "not-utf8", message: "provider-flow.yaml is not valid UTF-8 text", file: FILE, line: 1, column: 1 },
    ]);
  });
});

describe("parseYaml: only the YAML 1.2 core schema", () => {
  test.each([
    ["!!binary", "data: !!binary aGVsbG8=\n", 1, 7],
    ["a local tag", "a: 1\nb: !foo bar\n", 2, 4],
    ["!!set", "s: !!set { a, b }\n", 1, 4],
    ["!!timestamp", "t: !!timestamp 2001-12-14\n", 1, 4],
  ])("refuses %s", (_name, text, line, column) => {
    const findings = findingsOf(parseYaml(text, FILE));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "yaml-tag", file: FILE, line, column });
  });

  test("accepts explicit core tags, e.g. !!str to keep a version a string", () => {
    expect(valueOf(parseYaml("version: !!str 1.0\ncount: !!int 3\n", FILE))).toEqual({ version: "1.0", count: 3 });
  });

  test("refuses %YAML and %TAG directives (1.1 would bring merge keys, yes/no booleans and timestamps)", () => {
    expect(findingsOf(parseYaml("%YAML 1.1\n---\na: yes\n", FILE))).toEqual([
      expect.objectContaining({ code: "yaml-directive", line: 1, column: 1 }),
    ]);
    expect(findingsOf(parseYaml("# comment\n%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", FILE))).toEqual([
      expect.objectContaining({ code: "yaml-directive", line: 2, column: 1 }),
    ]);
  });

  test("refuses merge keys", () => {
    const text = "base: &b { x: 1 }\nother:\n  <<: *b\n  y: 2\n";
    expect(findingsOf(parseYaml(text, FILE))).toEqual([
      {
        code: "yaml-merge-key",
        message: "merge keys (<<) are not supported: write the keys out",
        file: FILE,
        line: 3,
        column: 3,
        pointer: "/other/<<",
      },
    ]);
  });

  test('a quoted "<<" is an ordinary key', () => {
    expect(valueOf(parseYaml('"<<": 1\n', FILE))).toEqual({ "<<": 1 });
  });

  test("refuses keys that are not strings", () => {
    expect(findingsOf(parseYaml("fields:\n  1: a\n", FILE))[0]).toMatchObject({ code: "yaml-key-type", line: 2, column: 3 });
    expect(findingsOf(parseYaml("? [a, b]\n: 1\n", FILE))[0]).toMatchObject({ code: "yaml-key-type", line: 1 });
    expect(findingsOf(parseYaml("true: 1\n", FILE))[0]).toMatchObject({ code: "yaml-key-type" });
  });

  test("refuses __proto__ keys anywhere", () => {
    expect(findingsOf(parseYaml("a:\n  b:\n    __proto__: { polluted: 1 }\n", FILE))).toEqual([
      {
        code: "forbidden-key",
        message: 'the key "__proto__" is not allowed',
        file: FILE,
        line: 3,
        column: 5,
        pointer: "/a/b/__proto__",
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("refuses .inf and .nan, which are not JSON numbers", () => {
    const findings = findingsOf(parseYaml("a: .inf\nb: [1, .nan]\n", FILE));
    expect(findings.map((f) => [f.code, f.line, f.pointer])).toEqual([
      ["yaml-number", 1, "/a"],
      ["yaml-number", 2, "/b/1"],
    ]);
  });

  test("YAML 1.2 core scalars: yes/no/on stay strings, 1.0.0 is a string, 1.0 a number", () => {
    expect(valueOf(parseYaml("a: yes\nb: on\nc: 1.0.0\nd: 1.0\ne: ~\nf: 0x1F\n", FILE))).toEqual({
      a: "yes",
      b: "on",
      c: "1.0.0",
      d: 1,
      e: null,
      f: 31,
    });
  });

  test("an empty file parses to null (the schema then says what is missing)", () => {
    expect(valueOf(parseYaml("", FILE))).toBeNull();
    expect(valueOf(parseYaml("# only a comment\n", FILE))).toBeNull();
  });
});

describe("parseYaml: aliases and nesting are bounded", () => {
  function billionLaughs(levels: number): string {
    let text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
    const names = "bcdefghijklmnopqrstuvwxyz";
    for (let i = 0; i < levels; i += 1) {
      const name = names[i] as string;
      const previous = i === 0 ? "a" : (names[i - 1] as string);
      text += `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(", ")}]\n`;
    }
    return text;
  }

  test("a billion-laughs document is refused in milliseconds, without being expanded", () => {
    const text = billionLaughs(8); // 9^9 ≈ 387 million "lol"s if expanded
    const started = performance.now();
    const findings = findingsOf(parseYaml(text, FILE));
    const elapsed = performance.now() - started;
    expect(findings).toEqual([
      {
        code: "yaml-alias-limit",
        message: `aliases would expand the document by more than ${MAX_ALIAS_EXPANSION_NODES} nodes`,
        file: FILE,
        line: 2,
        column: 8,
      },
    ]);
    expect(elapsed).toBeLessThan(500);
  });

  test("more than 100 aliases are refused at the 101st", () => {
    const text = `x: &x 1\nlist:\n${Array.from({ length: MAX_YAML_ALIASES + 1 }, () => "  - *x\n").join("")}`;
    expect(findingsOf(parseYaml(text, FILE))).toEqual([
      expect.objectContaining({ code: "yaml-alias-limit", line: 3 + MAX_YAML_ALIASES, column: 5 }),
    ]);
  });

  test("a recursive alias is refused", () => {
    expect(findingsOf(parseYaml("a: &a [1, *a]\n", FILE))).toEqual([
      expect.objectContaining({ code: "yaml-alias-recursive", line: 1, column: 11 }),
    ]);
  });

  test("a few aliases within the limits work", () => {
    const text = "conds: &c [{ path: type, op: exists }]\nfirst: *c\nsecond: *c\n";
    const value = valueOf(parseYaml(text, FILE)) as Record<string, unknown>;
    expect(value.first).toEqual([{ path: "type", op: "exists" }]);
    expect(value.second).toEqual(value.conds);
  });

  test("a megabyte of [ is refused before the parser sees it", () => {
    const text = `a: ${"[".repeat(1024 * 1024 - 3)}`;
    const started = performance.now();
    const findings = findingsOf(parseYaml(text, FILE));
    expect(performance.now() - started).toBeLessThan(500);
    expect(findings).toEqual([
      {
        code: "yaml-too-deep",
        message: `nesting deeper than ${MAX_YAML_DEPTH} levels`,
        file: FILE,
        line: 1,
        column: 4 + MAX_YAML_DEPTH,
      },
    ]);
  });

  test("deep block nesting is refused too", () => {
    const text = Array.from({ length: MAX_YAML_DEPTH + 5 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
    expect(findingsOf(parseYaml(text, FILE))[0]?.code).toBe("yaml-too-deep");
  });

  test("findExcessiveNesting skips quoted brackets and comments", () => {
    const brackets = "[".repeat(10);
    expect(findExcessiveNesting(`a: "${brackets}"\nb: '${brackets}'\n# ${brackets}\nc: don't [x]`, 5)).toBe(-1);
    expect(findExcessiveNesting(`a: ${brackets}`, 5)).toBe(8);
    expect(findExcessiveNesting(`a: 'it''s ${brackets}'`, 5)).toBe(-1);
    expect(findExcessiveNesting(`a: "esc \\" ${brackets}"`, 5)).toBe(-1);
  });
});

describe("jsonSyntaxErrorOffset", () => {
  test.each([
    ['{"a": 1}', -1],
    ['  [1, -2.5e3, "x\\u00e9", true, false, null, {}]  ', -1],
    ['{"a": }', 6],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ["[1, 2", 5],
    ['{"a": tru}', 6],
    ['"abc', 4],
    ['"a\nb"', 2],
    ["", 0],
    ["{}x", 2],
    ["[01]", 2],
  ])("%j → %i", (text, offset) => {
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
    if (offset === -1) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow();
  });
});

describe("PositionIndex", () => {
  const text = [
    "apiVersion: providerflow/v1", // 1
    "endpoints:", // 2
    "  - name: hook", // 3
    "    verification: { preset: stripe, secretRef: X }", // 4
    "flows:", // 5
    "  - name: f", // 6
    "    steps:", // 7
    "      - filter:", // 8
    "          all:", // 9
    "            - { path: type, op: eq, value: a }", // 10
    "    empty:", // 11
  ].join("\n");

  function positions() {
    const parsed = parseYaml(text, FILE);
    if (!parsed.ok) throw new Error("fixture must parse");
    return parsed.positions;
  }

  test("locates values and keys by JSON Pointer", () => {
    const p = positions();
    expect(p.locate("/endpoints/0/name")).toMatchObject({ line: 3, column: 11 });
    expect(p.locate("/endpoints/0/name", "key")).toMatchObject({ line: 3, column: 5 });
    expect(p.locate("/endpoints/0/verification/secretRef")).toMatchObject({ line: 4, column: 48 });
    expect(p.locate("/flows/0/steps/0/filter/all/0/value")).toMatchObject({ line: 10, column: 44 });
    expect(p.locate("/endpoints/0")).toMatchObject({ line: 3, column: 5 });
    expect(p.locate("")).toMatchObject({ line: 1, column: 1 });
  });

  test("a key with no value is located at its key", () => {
    expect(positions().locate("/flows/0/empty")).toMatchObject({ line: 11, column: 5 });
  });

  test("a pointer that does not resolve falls back to its deepest existing ancestor's key", () => {
    const p = positions();
    expect(p.locate("/endpoints/0/verification/missing")).toMatchObject({ line: 4, column: 5 });
    expect(p.locate("/flows/7/name")).toMatchObject({ line: 5, column: 1 });
  });

  test("finding() builds a located Finding", () => {
    expect(positions().finding("x-code", "msg", "/flows/0/name")).toEqual({
      code: "x-code",
      message: "msg",
      file: FILE,
      line: 6,
      column: 11,
      pointer: "/flows/0/name",
    });
  });

  test("pointers through aliases resolve to the anchored node", () => {
    const parsed = parseYaml("base: &b { k: v }\nuse: *b\n", FILE);
    if (!parsed.ok) throw new Error("must parse");
    expect(parsed.positions.locate("/use/k")).toMatchObject({ line: 1, column: 15 });
  });
});

describe("parseJson", () => {
  test("parses JSON and locates pointers in it", () => {
    const text = '{\n  "type": "object",\n  "properties": {\n    "id": { "type": "strin" }\n  }\n}\n';
    const parsed = parseJson(Buffer.from(text), "schemas/a.json");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual({ type: "object", properties: { id: { type: "strin" } } });
    expect(parsed.positions.locate("/properties/id/type")).toMatchObject({ line: 4, column: 21 });
  });

  test("invalid JSON is located and its message never quotes the file's content", () => {
    const text = '{\n  "token": "hunter2-secret",\n  "a": }\n';
    const parsed = parseJson(text, "schemas/a.json");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]).toMatchObject({ code: "invalid-json", file: "schemas/a.json", line: 3, column: 8 });
    expect(parsed.findings[0]?.message).toBe("schemas/a.json is not valid JSON: Unexpected token '}'");
    expect(parsed.findings[0]?.message).not.toContain("hunter2");
  });

  test("refuses __proto__ keys, at the key", () => {
    const parsed = parseJson('{"properties": {"__proto__": {"type": "string"}}}', "schemas/a.json");
    expect(parsed.ok ? [] : parsed.findings).toEqual([
      {
        code: "forbidden-key",
        message: 'the key "__proto__" is not allowed',
        file: "schemas/a.json",
        line: 1,
        column: 17,
        pointer: "/properties/__proto__",
      },
    ]);
  });

  test("a byte-order mark is accepted; deep nesting is not", () => {
    expect(parseJson("\ufeff{}", "schemas/a.json").ok).toBe(true);
    const deep = parseJson(`${"[".repeat(300)}${"]".repeat(300)}`, "schemas/a.json");
    expect(deep.ok ? [] : deep.findings.map((f) => f.code)).toEqual(["json-too-deep"]);
  });
});
