// Parsing provider-flow.yaml (and the package's JSON files) into plain data while
// keeping source positions, so every later stage can point at a line and column.
//
// The YAML accepted is the YAML 1.2 core schema and nothing more, because a package is
// data reviewed by humans and applied to production:
// - No directives (%YAML 1.1 would switch on merge keys, !!binary and timestamps).
// - No tags beyond the core ones (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq);
//   `!!binary`, `!!set`, `!foo` and %TAG handles are errors.
// - No merge keys (`<<`): they hide where a value comes from.
// - Keys are strings (a collection or number as a key is an error: quote it), no key is
//   `__proto__`, duplicate keys are errors, numbers are finite (.inf/.nan are not JSON).
// - Aliases: at most MAX_YAML_ALIASES, and together they may add at most
//   MAX_ALIAS_EXPANSION_NODES nodes to the document. The expanded size is computed on
//   the AST without expanding anything, so a billion-laughs file is refused in
//   milliseconds; a recursive alias (inside its own anchor) is refused too.
// - Nesting at most MAX_YAML_DEPTH levels. The yaml composer recurses, and a megabyte
//   of "[[[[" takes it seconds to overflow, so flow nesting is measured on the raw text
//   first (a linear scan that understands quotes and comments) and refused before the
//   parser sees it.
//
// JSON files are parsed with JSON.parse (exact JSON semantics); positions in them come
// from parsing the same text as YAML (JSON is YAML 1.2 flow syntax), lazily, only when
// a finding needs a location.

import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from "yaml";
import { describePointer, pointerFrom, pointerTokens, type Finding } from "./findings";

export const MAX_YAML_DEPTH = 128;
export const MAX_YAML_ALIASES = 100;
export const MAX_ALIAS_EXPANSION_NODES = 10_000;
export const MAX_JSON_FILE_DEPTH = 256;

const CORE_TAGS: ReadonlySet<string> = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

const YAML_OPTIONS = {
  version: "1.2",
  schema: "core",
  // Explicit !!binary, !!set, !!omap, !!pairs, !!timestamp would otherwise resolve even
  // in the core schema; unresolved, they surface as TAG_RESOLVE_FAILED.
  resolveKnownTags: false,
  merge: false,
  uniqueKeys: true,
  strict: true,
  prettyErrors: true,
} as const;

export type SourcePosition = {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors count). */
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based offsets into the decoded text. */
  offset: number;
  endOffset: number;
};

/** Which end of a key/value pair a location points at. */
export type LocateAt = "key" | "value";

type LocatedDoc = { doc: Document.Parsed | null; lineCounter: LineCounter };

/**
 * Maps JSON Pointers into a file's data to source positions. A pointer that does not
 * fully resolve (a missing key) gives the position of its deepest existing ancestor,
 * so "missing key" findings land on the object that lacks it.
 */
export class PositionIndex {
  readonly file: string;
  private readonly text: string;
  private located: LocatedDoc | null;
  private readonly build: (() => LocatedDoc) | null;

  constructor(file: string, text: string, located: LocatedDoc | (() => LocatedDoc)) {
    this.file = file;
    this.text = text;
    if (typeof located === "function") {
      this.located = null;
      this.build = located;
    } else {
      this.located = located;
      this.build = null;
    }
  }

  private get source(): LocatedDoc {
    if (!this.located) this.located = this.build ? this.build() : { doc: null, lineCounter: lineCounterFor(this.text) };
    return this.located;
  }

  /** Position of an offset into the text. */
  positionOfOffset(start: number, end = start): SourcePosition {
    const lc = this.source.lineCounter;
    const s = lc.linePos(Math.max(0, Math.min(start, this.text.length)));
    const e = lc.linePos(Math.max(0, Math.min(end, this.text.length)));
    // An empty text has no line starts at all; its only position is 1:1.
    return {
      line: Math.max(1, s.line),
      column: Math.max(1, s.col),
      endLine: Math.max(1, e.line),
      endColumn: Math.max(1, e.col),
      offset: start,
      endOffset: end,
    };
  }

  locate(pointer: string, at: LocateAt = "value"): SourcePosition {
    const { doc } = this.source;
    const root = doc?.contents ?? null;
    if (!doc || !root) return this.positionOfOffset(0);
    let node: unknown = root;
    let key: YamlNode | null = null;
    let resolved = true;
    for (const token of pointerTokens(pointer)) {
      const current = isAlias(node) ? node.resolve(doc) : node;
      if (isMap(current)) {
        let found: { key: unknown; value: unknown } | undefined;
        for (const pair of current.items) {
          if (isScalar(pair.key) && String(pair.key.value) === token) found = pair;
        }
        if (!found) {
          resolved = false;
          break;
        }
        key = isScalar(found.key) ? found.key : null;
        // `key:` with nothing after it has an empty null scalar (zero-length range) or
        // no node at all: its key is the best location.
        const value = found.value as { range?: [number, number, number] } | null;
        const empty = !value || (isScalar(value) && value.range !== undefined && value.range[0] === value.range[1]);
        node = empty ? found.key : found.value;
      } else if (isSeq(current) && /^(0|[1-9][0-9]*)$/.test(token) && current.items[Number(token)] !== undefined) {
        key = null;
        node = current.items[Number(token)];
      } else {
        resolved = false;
        break;
      }
    }
    const wantKey = key !== null && (at === "key" || !resolved);
    const target = wantKey ? key : node;
    const range = (target as { range?: [number, number, number] } | null)?.range;
    if (!range) return this.positionOfOffset(0);
    return this.positionOfOffset(range[0], range[1]);
  }

  /** A finding located at `pointer` in this file. */
  finding(code: string, message: string, pointer: string, at: LocateAt = "value"): Finding {
    const pos = this.locate(pointer, at);
    return { code, message, file: this.file, line: pos.line, column: pos.column, pointer };
  }

  /** A finding at an offset in the text (for problems found before there is data). */
  findingAtOffset(code: string, message: string, offset: number): Finding {
    const pos = this.positionOfOffset(offset);
    return { code, message, file: this.file, line: pos.line, column: pos.column };
  }
}

function lineCounterFor(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lc.addNewLine(i + 1);
  return lc;
}

/** Positions in a plain text file (README.md, a file that failed to parse): offsets only, no pointers. */
export function textPositions(file: string, text: string): PositionIndex {
  return new PositionIndex(file, text, () => ({ doc: null, lineCounter: lineCounterFor(text) }));
}

export type DecodeResult = { ok: true; text: string } | { ok: false; finding: Finding };

/** Strict UTF-8 (a byte-order mark is dropped); invalid bytes are a finding, not U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, file: string): DecodeResult {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, finding: { code: "not-utf8", message: `${file} is not valid UTF-8 text`, file, line: 1, column: 1 } };
  }
}

function isTokenStart(previous: string): boolean {
  return previous === "" || " \t\r\n[{,:-?".includes(previous);
}

/**
 * The offset at which flow nesting (`[`, `{`) first exceeds maxDepth, or -1. Quoted
 * scalars and comments are skipped; brackets inside block scalars and plain scalars
 * are counted, which can only make the limit trip early on text no real package has
 * (more than maxDepth unmatched brackets).
 */
export function findExcessiveNesting(text: string, maxDepth: number): number {
  let depth = 0;
  let previous = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '"' && isTokenStart(previous)) {
      i += 1;
      while (i < n && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i += 1;
      previous = '"';
      continue;
    }
    if (c === "'" && isTokenStart(previous)) {
      i += 1;
      while (i < n) {
        if (text[i] === "'") {
          if (text[i + 1] === "'") i += 2;
          else break;
        } else i += 1;
      }
      i += 1;
      previous = "'";
      continue;
    }
    if (c === "#" && (previous === "" || " \t\r\n".includes(previous))) {
      while (i < n && text[i] !== "\n") i += 1;
      continue;
    }
    if (c === "[" || c === "{") {
      depth += 1;
      if (depth > maxDepth) return i;
    } else if ((c === "]" || c === "}") && depth > 0) {
      depth -= 1;
    }
    previous = c;
    i += 1;
  }
  return -1;
}

const YAML_ERROR_CODES: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: "yaml-duplicate-key",
  MULTIPLE_DOCS: "yaml-multiple-documents",
  TAG_RESOLVE_FAILED: "yaml-tag",
  BAD_ALIAS: "yaml-alias",
  RESOURCE_EXHAUSTION: "yaml-too-deep",
  KEY_OVER_1024_CHARS: "yaml-key-too-long",
};

/** yaml's pretty message is "<what> at line L, column C:\n\n<excerpt>"; findings carry the position separately. */
function yamlErrorMessage(error: YAMLError): string {
  const first = error.message.split("\n")[0] ?? error.message;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}

function yamlErrorFinding(error: YAMLError, positions: PositionIndex): Finding {
  const code = YAML_ERROR_CODES[error.code] ?? "yaml-syntax";
  const pos = error.linePos?.[0];
  const base = pos ? { line: pos.line, column: pos.col } : positions.positionOfOffset(error.pos[0]);
  return { code, message: yamlErrorMessage(error), file: positions.file, line: base.line, column: base.column };
}

function rangeStart(node: unknown): number {
  return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}

/** Structural rules the yaml library does not enforce (see the header). Iterative, so no input can overflow the stack. */
function checkStructure(
  doc: Document.Parsed,
  positions: PositionIndex,
): { findings: Finding[]; aliases: YamlNode[]; nodes: number } {
  const findings: Finding[] = [];
  const aliases: YamlNode[] = [];
  let nodes = 0;
  let tooDeepReported = false;
  const at = (code: string, message: string, node: unknown, pointer: string): Finding => ({
    ...positions.findingAtOffset(code, message, rangeStart(node)),
    pointer,
  });
  const stack: { node: unknown; depth: number; pointer: string }[] = [{ node: doc.contents, depth: 1, pointer: "" }];
  while (stack.length > 0) {
    const { node, depth, pointer } = stack.pop() as { node: unknown; depth: number; pointer: string };
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      aliases.push(node);
      continue;
    }
    nodes += 1;
    if (depth > MAX_YAML_DEPTH) {
      if (!tooDeepReported) findings.push(at("yaml-too-deep", `nesting deeper than ${MAX_YAML_DEPTH} levels`, node, pointer));
      tooDeepReported = true;
      continue;
    }
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && !CORE_TAGS.has(tag)) {
      findings.push(at("yaml-tag", `tag ${tag} is not allowed: only the YAML 1.2 core schema is supported`, node, pointer));
    }
    if (isScalar(node)) {
      if (typeof node.value === "number" && !Number.isFinite(node.value)) {
        findings.push(
          at("yaml-number", `${describePointer(pointer)}: ${String(node.value)} is not a JSON number`, node, pointer),
        );
      }
      continue;
    }
    if (isMap(node)) {
      const children: { node: unknown; depth: number; pointer: string }[] = [];
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) || typeof key.value !== "string") {
          const shown = isScalar(key) ? String(key.value) : "a collection";
          findings.push(
            at("yaml-key-type", `keys must be strings (got ${shown}); quote the key`, key ?? pair.value ?? node, pointer),
          );
          continue;
        }
        const keyPointer = `${pointer}${pointerFrom([key.value])}`;
        if (key.value === "<<" && key.type === "PLAIN") {
          findings.push(at("yaml-merge-key", "merge keys (<<) are not supported: write the keys out", key, keyPointer));
          continue;
        }
        if (key.value === "__proto__") {
          findings.push(at("forbidden-key", 'the key "__proto__" is not allowed', key, keyPointer));
          continue;
        }
        if (key.tag !== undefined && !CORE_TAGS.has(key.tag)) {
          findings.push(
            at("yaml-tag", `tag ${key.tag} is not allowed: only the YAML 1.2 core schema is supported`, key, keyPointer),
          );
        }
        children.push({ node: pair.value, depth: depth + 1, pointer: keyPointer });
      }
      for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as (typeof children)[number]);
      continue;
    }
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i -= 1) {
        stack.push({ node: node.items[i], depth: depth + 1, pointer: `${pointer}/${i}` });
      }
    }
  }
  return { findings, aliases, nodes };
}

/**
 * Node count of the document with every alias expanded, computed without expanding:
 * a post-order walk in document order, where an alias counts as its anchor's size.
 * An anchor always precedes its aliases, so its size is known when an alias is
 * reached, unless the alias sits inside its own anchor (a recursive document).
 * Sizes are capped just above the limit so no sum can grow unboundedly.
 */
function expandedNodeCount(doc: Document.Parsed, cap: number): number | "recursive" {
  const size = new Map<unknown, number>();
  const stack: { node: unknown; expanded: boolean }[] = [{ node: doc.contents, expanded: false }];
  const childrenOf = (node: unknown): unknown[] => {
    if (isMap(node)) return node.items.flatMap((p) => [p.key, p.value]);
    if (isSeq(node)) return [...node.items];
    return [];
  };
  const sizeOf = (child: unknown): number | "recursive" => {
    if (child === null || child === undefined) return 0;
    if (isAlias(child)) {
      const target = child.resolve(doc);
      if (!target) return 1;
      const s = size.get(target);
      return s === undefined ? "recursive" : s;
    }
    return size.get(child) ?? 0;
  };
  while (stack.length > 0) {
    const frame = stack.pop() as { node: unknown; expanded: boolean };
    const { node } = frame;
    if (node === null || node === undefined || isAlias(node)) continue;
    const children = childrenOf(node);
    if (!frame.expanded) {
      stack.push({ node, expanded: true });
      for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ node: children[i], expanded: false });
      continue;
    }
    let total = 1;
    for (const child of children) {
      const s = sizeOf(child);
      if (s === "recursive") return "recursive";
      total = Math.min(cap, total + s);
    }
    size.set(node, total);
  }
  const root = sizeOf(doc.contents);
  return root;
}

export type YamlParse =
  { ok: true; value: unknown; positions: PositionIndex } | { ok: false; findings: Finding[]; positions: PositionIndex | null };

/**
 * Parses one YAML document into plain JSON-compatible data (objects, arrays, strings,
 * finite numbers, booleans, null). Never throws; every problem is a located finding.
 */
export function parseYaml(source: string | Uint8Array, file: string): YamlParse {
  let text: string;
  if (typeof source === "string") {
    text = source;
  } else {
    const decoded = decodeUtf8(source, file);
    if (!decoded.ok) return { ok: false, findings: [decoded.finding], positions: null };
    text = decoded.text;
  }
  const plain = textPositions(file, text);
  const deep = findExcessiveNesting(text, MAX_YAML_DEPTH);
  if (deep >= 0) {
    return {
      ok: false,
      findings: [plain.findingAtOffset("yaml-too-deep", `nesting deeper than ${MAX_YAML_DEPTH} levels`, deep)],
      positions: plain,
    };
  }

  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter });
  } catch (error) {
    // The yaml library reports problems as doc.errors; a throw would be a bug in it.
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, findings: [plain.findingAtOffset("yaml-syntax", `cannot parse YAML: ${reason}`, 0)], positions: plain };
  }
  const positions = new PositionIndex(file, text, { doc, lineCounter });

  const directives = doc.directives;
  const tags = directives ? Object.entries(directives.tags) : [];
  const customTags = tags.some(([handle, prefix]) => handle !== "!!" || prefix !== "tag:yaml.org,2002:");
  if (directives && (directives.yaml.explicit || customTags)) {
    const line = text.split("\n").findIndex((l) => l.startsWith("%"));
    const offset = line <= 0 ? 0 : text.split("\n").slice(0, line).join("\n").length + 1;
    return {
      ok: false,
      findings: [
        positions.findingAtOffset(
          "yaml-directive",
          "YAML directives (%YAML, %TAG) are not supported: the file is read as YAML 1.2, core schema",
          offset,
        ),
      ],
      positions,
    };
  }

  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return { ok: false, findings: problems.map((e) => yamlErrorFinding(e, positions)), positions };
  }

  const structure = checkStructure(doc, positions);
  if (structure.findings.length > 0) return { ok: false, findings: structure.findings, positions };

  if (structure.aliases.length > MAX_YAML_ALIASES) {
    const alias = structure.aliases[MAX_YAML_ALIASES];
    return {
      ok: false,
      findings: [
        positions.findingAtOffset(
          "yaml-alias-limit",
          `more than ${MAX_YAML_ALIASES} aliases (${structure.aliases.length}); a package may use at most ${MAX_YAML_ALIASES}`,
          rangeStart(alias),
        ),
      ],
      positions,
    };
  }
  if (structure.aliases.length > 0) {
    const cap = structure.nodes + MAX_ALIAS_EXPANSION_NODES + 1;
    const expanded = expandedNodeCount(doc, cap);
    const first = rangeStart(structure.aliases[0]);
    if (expanded === "recursive") {
      return {
        ok: false,
        findings: [positions.findingAtOffset("yaml-alias-recursive", "an alias refers to a node that contains it", first)],
        positions,
      };
    }
    if (expanded - structure.nodes > MAX_ALIAS_EXPANSION_NODES) {
      return {
        ok: false,
        findings: [
          positions.findingAtOffset(
            "yaml-alias-limit",
            `aliases would expand the document by more than ${MAX_ALIAS_EXPANSION_NODES} nodes`,
            first,
          ),
        ],
        positions,
      };
    }
  }

  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    return { ok: true, value, positions };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, findings: [positions.findingAtOffset("yaml-alias-limit", reason, 0)], positions };
  }
}

/** V8's JSON.parse messages quote the input; findings must not (a file may hold secrets). */
function jsonErrorReason(message: string): string {
  return message
    .replace(/, ".*" is not valid JSON$/s, "")
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/^(Unexpected token '.+?').*$/s, "$1");
}

class JsonSyntaxError {
  constructor(readonly offset: number) {}
}

/**
 * The offset of the first JSON syntax error in `text` (RFC 8259), or -1. JSON.parse
 * says what is wrong but, for an unexpected token, not where; this scanner says where.
 * Recursion is bounded: callers measure nesting (findExcessiveNesting) first.
 */
export function jsonSyntaxErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const fail = (at: number): never => {
    throw new JsonSyntaxError(at);
  };
  const ws = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i += 1;
  };
  const string = () => {
    i += 1; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i += 1;
        return;
      }
      if (c < 0x20) fail(i);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          fail(i);
        }
      } else {
        i += 1;
      }
    }
    fail(n);
  };
  const number = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i += 1;
      ws();
      if (text[i] === "}") {
        i += 1;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i);
        string();
        ws();
        if (text[i] !== ":") fail(i);
        i += 1;
        value();
        ws();
        if (text[i] === ",") i += 1;
        else if (text[i] === "}") {
          i += 1;
          return;
        } else fail(i);
      }
    }
    if (c === "[") {
      i += 1;
      ws();
      if (text[i] === "]") {
        i += 1;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i += 1;
        else if (text[i] === "]") {
          i += 1;
          return;
        } else fail(i);
      }
    }
    if (c === '"') return string();
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    number.lastIndex = i;
    const m = number.exec(text);
    if (!m) fail(i);
    i += (m as RegExpExecArray)[0].length;
  };
  try {
    value();
    ws();
    if (i < n) fail(i);
    return -1;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.offset;
    throw error;
  }
}

function yamlDocFor(text: string): LocatedDoc {
  const lineCounter = new LineCounter();
  try {
    // Positions only: JSON duplicates and the like are not this parse's concern.
    const doc = parseDocument(text, { ...YAML_OPTIONS, uniqueKeys: false, lineCounter });
    return { doc, lineCounter };
  } catch {
    return { doc: null, lineCounter: lineCounterFor(text) };
  }
}

export type JsonParse = { ok: true; value: unknown; positions: PositionIndex } | { ok: false; findings: Finding[] };

/**
 * Parses a JSON file of the package. `__proto__` keys are refused anywhere (JSON.parse
 * makes them own properties, which a later spread could turn into prototype pollution).
 */
export function parseJson(source: string | Uint8Array, file: string, maxDepth = MAX_JSON_FILE_DEPTH): JsonParse {
  let text: string;
  if (typeof source === "string") {
    text = source;
  } else {
    const decoded = decodeUtf8(source, file);
    if (!decoded.ok) return { ok: false, findings: [decoded.finding] };
    text = decoded.text;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const positions = new PositionIndex(file, text, () => yamlDocFor(text));
  const deep = findExcessiveNesting(text, maxDepth);
  if (deep >= 0) {
    return { ok: false, findings: [positions.findingAtOffset("json-too-deep", `nesting deeper than ${maxDepth} levels`, deep)] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = jsonErrorReason(error instanceof Error ? error.message : String(error));
    const offset = Math.max(0, jsonSyntaxErrorOffset(text));
    return { ok: false, findings: [positions.findingAtOffset("invalid-json", `${file} is not valid JSON: ${reason}`, offset)] };
  }
  const findings: Finding[] = [];
  const stack: { value: unknown; pointer: string }[] = [{ value, pointer: "" }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; pointer: string };
    if (item.value === null || typeof item.value !== "object") continue;
    if (Array.isArray(item.value)) {
      item.value.forEach((v, i) => stack.push({ value: v, pointer: `${item.pointer}/${i}` }));
      continue;
    }
    for (const [k, v] of Object.entries(item.value)) {
      const pointer = `${item.pointer}${pointerFrom([k])}`;
      if (k === "__proto__")
        findings.push(positions.finding("forbidden-key", 'the key "__proto__" is not allowed', pointer, "key"));
      else stack.push({ value: v, pointer });
    }
  }
  if (findings.length > 0) return { ok: false, findings };
  return { ok: true, value, positions };
}
