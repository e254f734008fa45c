import { describe, expect, it } from "vitest";
import { checkRegex, compileRe2, describeRe2Error, MAX_REGEX_INPUT_LENGTH, MAX_REGEX_LENGTH, regexTest } from "./safe-regex";

describe("checkRegex", () => {
  it.each([
    "^evt_[a-z0-9]+$",
    "^\\d{4}-\\d{2}-\\d{2}$",
    "(foo|bar)",
    "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    "\\p{L}+",
    "",
    "a.*b",
    "(?<name>x)",
  ])("accepts %j", (pattern) => {
    expect(checkRegex(pattern)).toEqual({ ok: true });
  });

  it("rejects over-long patterns", () => {
    expect(checkRegex("a".repeat(MAX_REGEX_LENGTH)).ok).toBe(true);
    expect(checkRegex("a".repeat(MAX_REGEX_LENGTH + 1))).toEqual({
      ok: false,
      message: `Regular expression must be at most ${MAX_REGEX_LENGTH} characters`,
    });
  });

  it.each([
    ["(?=a)b", /Lookahead and lookbehind/],
    ["a(?!b)", /Lookahead and lookbehind/],
    ["(?<=a)b", /Lookahead and lookbehind/],
    ["(?<!a)b", /Lookahead and lookbehind/],
    ["(a)\\1", /Backreferences/],
    ["(?<n>a)\\k<n>", /Backreferences/],
    ["[a-", /^Invalid regular expression: missing \]/],
    ["a{1001}", /^Invalid regular expression: invalid repetition size/],
    ["(", /^Invalid regular expression: /],
  ])("rejects %j with a clear message", (pattern, message) => {
    const result = checkRegex(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it.each(["(a+)+$", "(\\w+\\s?)*$", "(x+x+)+y", "(a*)*"])("rejects catastrophic %j", (pattern) => {
    const result = checkRegex(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Regular expression may backtrack catastrophically/);
  });

  it("rejects RE2-only syntax so patterns stay portable", () => {
    const result = checkRegex("(?i)abc");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/valid JavaScript/);
  });

  it("rejects non-strings at runtime", () => {
    expect(checkRegex(5 as unknown as string).ok).toBe(false);
  });
});

describe("regexTest", () => {
  it("matches with RE2 semantics", () => {
    expect(regexTest("^evt_[a-z0-9]+$", "evt_123abc")).toBe(true);
    expect(regexTest("^evt_[a-z0-9]+$", "ch_123")).toBe(false);
    expect(regexTest("é+", "café")).toBe(true);
    expect(regexTest("^.$", "😀")).toBe(true); // unicode mode: one code point
    expect(regexTest("", "anything")).toBe(true);
  });

  it("returns false for a pattern that does not compile, repeatedly", () => {
    expect(regexTest("(?=a)", "a")).toBe(false);
    expect(regexTest("(?=a)", "a")).toBe(false);
    expect(regexTest("[", "[")).toBe(false);
  });

  it("runs a stored catastrophic pattern in linear time", () => {
    const evil = `${"a".repeat(50_000)}!`;
    // The classic ReDoS: a backtracking engine needs ~2^50000 steps to say no.
    expect(regexTest("(a+)+$", evil)).toBe(false);
    expect(regexTest("^(a+)+$", evil)).toBe(false);
    expect(regexTest("(a+)+!$", evil)).toBe(true);
    expect(regexTest("^(a+)+$", "a".repeat(50_000))).toBe(true);
  });

  it("only looks at the first MAX_REGEX_INPUT_LENGTH code units", () => {
    const input = `${"a".repeat(MAX_REGEX_INPUT_LENGTH)}needle`;
    expect(regexTest("needle", input)).toBe(false);
    expect(regexTest("needle", `needle${"a".repeat(10)}`)).toBe(true);
    // A cut through a surrogate pair does not produce a broken string.
    const pairAtCut = `${"a".repeat(MAX_REGEX_INPUT_LENGTH - 1)}😀`;
    expect(regexTest("^a+$", pairAtCut)).toBe(true);
  });

  it("never throws on odd input", () => {
    expect(regexTest("^a.b$", "a\ud800b")).toBeTypeOf("boolean");
    expect(regexTest(1 as unknown as string, "x")).toBe(false);
    expect(regexTest("x", null as unknown as string)).toBe(false);
    expect(regexTest("a".repeat(MAX_REGEX_LENGTH + 1), "a".repeat(MAX_REGEX_LENGTH + 1))).toBe(false);
  });

  it("keeps working past the cache size (eviction)", () => {
    for (let i = 0; i < 700; i += 1) expect(regexTest(`^k${i}$`, `k${i}`)).toBe(true);
    expect(regexTest("^k1$", "k1")).toBe(true);
  });
});

describe("helpers", () => {
  it("compileRe2 always compiles in unicode mode", () => {
    expect(compileRe2("a", "i").flags).toContain("u");
    expect(compileRe2("A", "i").test("a")).toBe(true);
  });

  it("describeRe2Error keeps RE2's reason", () => {
    expect(describeRe2Error("[", new SyntaxError("Invalid regular expression: /[/u: missing ]: ["))).toBe(
      "Invalid regular expression: missing ]: [",
    );
  });
});
