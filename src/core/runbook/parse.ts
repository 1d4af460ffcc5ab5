// Reads a runbook: splits the YAML front-matter from the markdown body and keeps the exact source range of every key
// and value, so a finding points at the characters it is about. Never throws: whatever the text, the result says what
// could be read (a BOM, CRLF, tabs, an unclosed block, `---` in the body, an empty or a 20 MB file are ordinary input).
import { isMap, isNode, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { detectEol, LineIndex, type Range, type Span } from './text';
import { errorMessage } from '../text';

export interface ParsedRunbook {
  readonly text: string;
  /** Offset ↔ line/character conversion for `text`. */
  readonly lines: LineIndex;
  /** The text starts with a byte-order mark (VS Code hides it; files read from disk keep it). */
  readonly bom: boolean;
  readonly eol: '\n' | '\r\n';
  /** Undefined when the text does not start with a `---` line. */
  readonly frontMatter: FrontMatter | undefined;
  /** The markdown after the front-matter (the whole text without a BOM when there is none). */
  readonly body: string;
  readonly bodyOffset: number;
}

export interface FrontMatter {
  /** The opening `---` (three characters). */
  readonly open: Span;
  readonly openRange: Range;
  /** The closing `---` line's three characters; undefined when the block is never closed. */
  readonly close: Span | undefined;
  /** The YAML between the delimiter lines. Unclosed, it runs to the first blank line (see `parseRunbook`). */
  readonly content: Span;
  /** Longer than the parse limit: not parsed, so `document` is empty and there are no entries, data or errors. */
  readonly tooLarge: boolean;
  /** The YAML document. Node ranges are offsets into the whole runbook text. */
  readonly document: Document.Parsed;
  /** The front-matter as plain data; undefined when the YAML could not be turned into data at all. */
  readonly data: unknown;
  /** Top-level `key: value` pairs in source order, duplicates included (empty unless the YAML is a mapping). */
  readonly entries: readonly FrontMatterEntry[];
  /** YAML syntax errors and warnings, in source order. */
  readonly errors: readonly FrontMatterError[];
}

export interface FrontMatterEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly keyRange: Range;
  /** The value's source (zero-length just after the colon when the value is empty). */
  readonly valueSpan: Span | undefined;
  readonly valueRange: Range | undefined;
  /** The value as data (for a duplicated key, this occurrence's own value). */
  readonly value: unknown;
  readonly pair: Pair;
}

export interface FrontMatterError {
  readonly message: string;
  /** The yaml package's error code, e.g. BAD_INDENT. */
  readonly code: string;
  readonly span: Span;
  readonly range: Range;
}

// logLevel 'error': the yaml package would otherwise print process warnings (e.g. for collection keys) into the host's log.
const YAML_OPTIONS = { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, logLevel: 'error' } as const;

/**
 * Characters of front-matter parsed at most: 64 Ki, a hundred times the gallery's average front-matter (650) and twenty
 * times its longest. The YAML of a block this size parses in a few milliseconds; a larger one is not parsed at all
 * (lint reports that it was not read): settings are a few kilobytes, and the YAML parser's time and memory grow with
 * its input (a 25 MB block took 4.4 GB).
 */
export const MAX_FRONT_MATTER_LENGTH = 64 * 1024;

export interface ParseOptions {
  /** Overrides MAX_FRONT_MATTER_LENGTH (the benchmark lifts it to measure what lint costs past it). */
  maxFrontMatterLength?: number;
}

/**
 * The split is done here rather than by gray-matter: gray-matter returns the front-matter and body as strings without
 * offsets, caches every text it has seen (a leak when called on each keystroke), accepts `----` or `---yaml` lines as
 * delimiters and parses the YAML a second time with js-yaml. See the lint benchmark for the measured cost.
 */
export function parseRunbook(text: string, options: ParseOptions = {}): ParsedRunbook {
  const lines = new LineIndex(text);
  const bom = text.charCodeAt(0) === 0xfeff;
  const start = bom ? 1 : 0;
  const eol = detectEol(text);
  const openEnd = delimiterLineEnd(text, start);
  if (openEnd === undefined) {
    return { text, lines, bom, eol, frontMatter: undefined, body: text.slice(start), bodyOffset: start };
  }

  const contentStart = skipLineBreak(text, openEnd);
  const close = findClosingDelimiter(text, contentStart);
  let contentEnd: number;
  let bodyOffset: number;
  if (close !== undefined) {
    contentEnd = close.start;
    bodyOffset = skipLineBreak(text, close.lineEnd);
  } else {
    // Unclosed: Jetty would read the whole file as front-matter. For the editor, the settings being typed are the lines
    // up to the first blank line; the rest is the instructions that should have followed a `---`.
    contentEnd = firstBlankLine(text, contentStart);
    bodyOffset = contentEnd;
  }

  const open = { start, end: start + 3 };
  const content = { start: contentStart, end: contentEnd };
  const limit = options.maxFrontMatterLength ?? MAX_FRONT_MATTER_LENGTH;
  if (contentEnd - contentStart > limit) {
    const frontMatter: FrontMatter = {
      open,
      openRange: lines.rangeOf(open),
      close: close && { start: close.start, end: close.start + 3 },
      content,
      tooLarge: true,
      document: parseDocument('', YAML_OPTIONS),
      data: undefined,
      entries: [],
      errors: [],
    };
    return { text, lines, bom, eol, frontMatter, body: text.slice(bodyOffset), bodyOffset };
  }

  // The YAML is parsed from the start of the text, with `---` as its document start marker and the BOM as a BOM, so
  // every node's range is already an offset into the runbook.
  const document = parseDocument(text.slice(0, contentEnd), YAML_OPTIONS);
  const errors: FrontMatterError[] = [];
  for (const error of [...document.errors, ...document.warnings]) {
    const span = {
      start: Math.min(error.pos[0], contentEnd),
      end: Math.min(Math.max(error.pos[1], error.pos[0]), contentEnd),
    };
    errors.push({ message: error.message, code: error.code, span, range: lines.rangeOf(span) });
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Alias bombs and the like: say so rather than hand on half-built data.
    const span = { start: contentStart, end: contentStart };
    errors.push({
      message: errorMessage(error),
      code: 'TO_JS',
      span,
      range: lines.rangeOf(span),
    });
    data = undefined;
  }
  errors.sort((a, b) => a.span.start - b.span.start);

  const entries: FrontMatterEntry[] = [];
  if (isMap(document.contents)) {
    // A key's value comes from `data` (already converted); only a duplicated key needs its own occurrence converted.
    const seen = new Map<string, number>();
    for (const pair of document.contents.items)
      if (isScalar(pair.key)) seen.set(String(pair.key.value), (seen.get(String(pair.key.value)) ?? 0) + 1);
    const mapping =
      data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
    for (const pair of document.contents.items) {
      const key = pair.key;
      if (!isNode(key) || !key.range) continue;
      const keySpan = { start: key.range[0], end: key.range[1] };
      const value = pair.value;
      const valueSpan = isNode(value) && value.range ? { start: value.range[0], end: value.range[1] } : undefined;
      const name = keyText(key, text);
      entries.push({
        key: name,
        keySpan,
        keyRange: lines.rangeOf(keySpan),
        valueSpan,
        valueRange: valueSpan && lines.rangeOf(valueSpan),
        value:
          mapping && seen.get(name) === 1 && Object.hasOwn(mapping, name) ? mapping[name] : nodeData(value, document),
        pair,
      });
    }
  }

  const frontMatter: FrontMatter = {
    open,
    openRange: lines.rangeOf(open),
    close: close && { start: close.start, end: close.start + 3 },
    content,
    tooLarge: false,
    document,
    data,
    entries,
    errors,
  };
  return { text, lines, bom, eol, frontMatter, body: text.slice(bodyOffset), bodyOffset };
}

/** The mapping the front-matter holds, or undefined when it holds something else (a list, a scalar) or nothing. */
export function frontMatterMapping(parsed: ParsedRunbook): Readonly<Record<string, unknown>> | undefined {
  const data = parsed.frontMatter?.data;
  return data !== null && typeof data === 'object' && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined;
}

const lastEntries = new WeakMap<FrontMatter, Map<string, FrontMatterEntry>>();

/** The last occurrence of a top-level key: the one whose value Jetty's YAML reader keeps. */
export function entryOf(parsed: ParsedRunbook, key: string): FrontMatterEntry | undefined {
  const frontMatter = parsed.frontMatter;
  if (!frontMatter) return undefined;
  let index = lastEntries.get(frontMatter);
  if (!index) {
    index = new Map(frontMatter.entries.map((entry) => [entry.key, entry]));
    lastEntries.set(frontMatter, index);
  }
  return index.get(key);
}

export interface Located {
  /** The key of the last step of the path, when the last step is a mapping key. */
  keySpan?: Span;
  valueSpan?: Span;
  node?: Node;
}

/**
 * The source of the value at `path` (mapping keys and sequence indices), as far down as the YAML goes. Each mapping is
 * indexed by key on first use, so locating every key of a mapping costs one pass over it, not one pass per key (which
 * made linting 10,000 unknown keys take 20 s).
 */
export function locate(frontMatter: FrontMatter, path: readonly PropertyKey[]): Located | undefined {
  let node: unknown = frontMatter.document.contents;
  let found: Located =
    isNode(node) && node.range ? { valueSpan: { start: node.range[0], end: node.range[1] }, node } : {};
  for (const step of path) {
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(step));
      if (!pair) return undefined;
      const key = pair.key as Node;
      const value = pair.value;
      found = {
        keySpan: key.range ? { start: key.range[0], end: key.range[1] } : undefined,
        valueSpan: isNode(value) && value.range ? { start: value.range[0], end: value.range[1] } : undefined,
        node: isNode(value) ? value : undefined,
      };
      node = value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (!isNode(item) || !item.range) return undefined;
      found = { valueSpan: { start: item.range[0], end: item.range[1] }, node: item };
      node = item;
    } else {
      return undefined;
    }
  }
  return found;
}

const mapIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

/** A mapping's pairs by their scalar key; a key written twice maps to its last pair (the one YAML readers keep). */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = mapIndex.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) if (isScalar(item.key)) index.set(String(item.key.value), item);
    mapIndex.set(map, index);
  }
  return index;
}

function keyText(key: Node, text: string): string {
  if (isScalar(key)) return String(key.value);
  return key.range ? text.slice(key.range[0], key.range[1]) : '';
}

function nodeData(value: unknown, document: Document.Parsed): unknown {
  if (!isNode(value)) return value ?? null;
  try {
    return value.toJS(document, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** End of the `---` delimiter line starting at `at` (before its line break), or undefined if that line is not one. */
function delimiterLineEnd(text: string, at: number): number | undefined {
  if (text.charCodeAt(at) !== 45 || text.charCodeAt(at + 1) !== 45 || text.charCodeAt(at + 2) !== 45) return undefined;
  let i = at + 3;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  if (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) return undefined;
  return i;
}

function skipLineBreak(text: string, at: number): number {
  if (text.charCodeAt(at) === 13) at++;
  if (text.charCodeAt(at) === 10) at++;
  return at;
}

/** The first `---` line at or after `from` (which is a line start). */
function findClosingDelimiter(text: string, from: number): { start: number; lineEnd: number } | undefined {
  let at = from;
  while (at < text.length) {
    const found = text.indexOf('---', at);
    if (found === -1) return undefined;
    const lineStart = found === 0 || text.charCodeAt(found - 1) === 10 || text.charCodeAt(found - 1) === 13;
    if (lineStart && found >= from) {
      const lineEnd = delimiterLineEnd(text, found);
      if (lineEnd !== undefined) return { start: found, lineEnd };
    }
    at = found + 3;
  }
  return undefined;
}

/** Offset of the first line holding only whitespace at or after `from`, or the end of the text. */
function firstBlankLine(text: string, from: number): number {
  let lineStart = from;
  while (lineStart < text.length) {
    const lf = text.indexOf('\n', lineStart);
    const lineEnd = lf === -1 ? text.length : lf;
    let i = lineStart;
    // A lone \r counts as blank here: such files are rare enough that a precise answer is not worth a second scan.
    while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++;
    if (i === lineEnd) return lineStart;
    if (lf === -1) return text.length;
    lineStart = lf + 1;
  }
  return text.length;
}
