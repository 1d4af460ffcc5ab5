// The markdown structure of a runbook's body, as far as Jetty's runbooks use it: ATX headings (`## Step 3: …`) and the
// sections they open, fenced code blocks (whose `#` lines are shell comments, not headings), and pipe tables. One pass
// over the lines, no markdown parser: the Outline, the structure rules and the Parameters table all read from it.
import type { ParsedRunbook } from './parse';
import type { Span } from './text';

export interface Section {
  /** 1 for `#`, 2 for `##`… */
  level: number;
  /** The heading's text, without its `#`s or a closing `#` sequence. */
  title: string;
  /** The title without a `Step N:` prefix (the templates number their steps), for matching sections by name. */
  name: string;
  titleSpan: Span;
  /** The heading line, from its first `#` to the end of its text. */
  heading: Span;
  /** Just after the heading's line. */
  contentStart: number;
  /** From the heading to the next heading of the same or a higher level (or the end of the text). */
  span: Span;
}

export interface BodyStructure {
  /** Every heading's section, in source order (nested sections overlap their parents). */
  sections: readonly Section[];
  /** Fenced code blocks, fences included, in source order. */
  codeBlocks: readonly Span[];
}

const structures = new WeakMap<ParsedRunbook, BodyStructure>();

/** The body's sections and code blocks, worked out once per parse. */
export function bodyStructure(parsed: ParsedRunbook): BodyStructure {
  let found = structures.get(parsed);
  if (!found) {
    found = scan(parsed.text, parsed.bodyOffset);
    structures.set(parsed, found);
  }
  return found;
}

/**
 * What a line that opens or closes something starts with (behind at most three spaces): a `#` heading, a ``` or ~~~
 * fence. Each is searched for on its own: they are rare in prose, so a native search for them skips the plain lines
 * that make up most of a body, where anything searched for behind a line break (`\n#`) is as slow as stepping through
 * every line (measured: 11 µs per search over 30 KB of the two-byte text runbooks are, against 1-3 µs for a rare
 * character). Inside a code block only its closing fence is looked for: its `#` comments are never visited.
 */
const HASH = 0;
const TOKENS = ['#', '```', '~~~'] as const;

function scan(text: string, from: number): BodyStructure {
  const sections: Section[] = [];
  const codeBlocks: Span[] = [];
  const open: Section[] = [];
  let fence: { char: number; length: number; start: number; token: number } | undefined;
  // The next occurrence of each token at or after the scan (-1: none left).
  const pending = [text.indexOf('#', from), text.indexOf('```', from), text.indexOf('~~~', from)];
  for (;;) {
    let k = -1;
    if (fence) k = pending[fence.token] === -1 ? -1 : fence.token;
    else for (let j = 0; j < 3; j++) if (pending[j] !== -1 && (k === -1 || pending[j]! < pending[k]!)) k = j;
    if (k === -1) break;
    const found = pending[k]!;
    // Only at a line start, behind at most three spaces.
    let at = found;
    while (at > from && found - at < 4 && text.charCodeAt(at - 1) === 32) at--;
    const previous = text.charCodeAt(at - 1);
    if (found - at > 3 || (at > from && previous !== 10 && previous !== 13)) {
      pending[k] = text.indexOf(TOKENS[k]!, found + TOKENS[k]!.length);
      continue;
    }
    const lf = text.indexOf('\n', at);
    let lineEnd = lf === -1 ? text.length : lf;
    if (lineEnd > at && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    // What the line starts with, read character by character (a regular expression here allocated a match per line).
    const c = text.charCodeAt(found);
    let run = found;
    while (run < lineEnd && text.charCodeAt(run) === c) run++;
    const length = run - found;
    if (k !== HASH) {
      if (!fence) {
        // A backtick fence's info string cannot hold a backtick (that line is inline code instead).
        const tick = c === 96 ? text.indexOf('`', run) : -1;
        if (tick === -1 || tick >= lineEnd) fence = { char: c, length, start: at, token: k };
      } else if (length >= fence.length && isBlank(text, run, lineEnd)) {
        codeBlocks.push({ start: fence.start, end: lineEnd });
        fence = undefined;
      }
    } else if (length <= 6 && (run === lineEnd || text.charCodeAt(run) === 32 || text.charCodeAt(run) === 9)) {
      const title = headingTitle(text, run, lineEnd);
      for (let top = open.at(-1); top && top.level >= length; top = open.at(-1)) {
        top.span.end = at;
        open.pop();
      }
      const section: Section = {
        level: length,
        title: title.text,
        name: plainTitle(title.text),
        titleSpan: title.span,
        heading: { start: found, end: lineEnd },
        contentStart: lf === -1 ? text.length : lf + 1,
        span: { start: at, end: text.length },
      };
      sections.push(section);
      open.push(section);
    }
    if (lf === -1) break;
    // Whatever else this line holds is not at a line start: search again from the next line.
    for (let j = 0; j < 3; j++) if (pending[j] !== -1 && pending[j]! < lf) pending[j] = text.indexOf(TOKENS[j]!, lf);
  }
  // An unclosed fence runs to the end of the text, as in CommonMark.
  if (fence) codeBlocks.push({ start: fence.start, end: text.length });
  return { sections, codeBlocks };
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) return false;
  return true;
}

function headingTitle(text: string, from: number, to: number): { text: string; span: Span } {
  let start = from;
  while (start < to && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  let end = to;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  // A closing sequence of #s counts only after a space: `## C#` keeps its #.
  let hashes = end;
  while (hashes > start && text.charCodeAt(hashes - 1) === 35) hashes--;
  if (hashes < end && (hashes === start || text.charCodeAt(hashes - 1) === 32 || text.charCodeAt(hashes - 1) === 9)) {
    end = hashes;
    while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  }
  return { text: text.slice(start, end), span: { start, end } };
}

/** The sections Jetty's templates (and its create-runbook validator) name, by their titles without a `Step N:` prefix. */
export const OBJECTIVE_TITLE = /^objective\b/i;
export const OUTPUT_FILES_TITLE = /^required output files\b/i;
export const FINAL_CHECKLIST_TITLE = /^final (checklist|verification)\b/i;

/** A heading title without a `Step N:` prefix (the templates number their steps), for matching by name. */
export function plainTitle(title: string): string {
  // Most titles have no prefix: the first letter settles it without a regular expression.
  if (title.charCodeAt(0) !== 83 && title.charCodeAt(0) !== 115) return title;
  return title.replace(STEP_PREFIX_AT_START, '').trim();
}

const STEP_PREFIX = /step\s+\d+[a-z]?\s*[:.)—–-]\s*/;
const STEP_PREFIX_AT_START = new RegExp(`^${STEP_PREFIX.source}`, 'i');

/** The first section whose title (without a `Step N:` prefix) matches. */
export function findSection(parsed: ParsedRunbook, title: RegExp): Section | undefined {
  return bodyStructure(parsed).sections.find((s) => title.test(s.name));
}

/**
 * Whether the body has a heading with this title, counting heading lines in code blocks: a markdown renderer sees code
 * there, but the agent reads the raw text, so after a fence someone forgot to close, `## Final Checklist` is still the
 * section it reads (and the line Jetty's validator greps for). Those are looked for only when no section matches.
 */
export function hasHeading(parsed: ParsedRunbook, title: RegExp): boolean {
  if (findSection(parsed, title)) return true;
  let line = rawHeadings.get(title);
  if (!line) {
    line = new RegExp(`^ {0,3}#{2,6}[ \\t]+(?:${STEP_PREFIX.source})?(?:${title.source.replace(/^\^/, '')})`, 'im');
    rawHeadings.set(title, line);
  }
  return line.test(parsed.body);
}

const rawHeadings = new Map<RegExp, RegExp>();

/** Whether the offset lies in a fenced code block. `blocks` is in source order. */
export function inCodeBlock(blocks: readonly Span[], offset: number): boolean {
  let low = 0;
  let high = blocks.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const block = blocks[mid]!;
    if (offset < block.start) high = mid - 1;
    else if (offset >= block.end) low = mid + 1;
    else return true;
  }
  return false;
}

// ── Pipe tables ─────────────────────────────────────────────────────────────────────────────────────────────────────

export interface TableCell {
  /** As written, trimmed, `\|` still escaped. */
  text: string;
  span: Span;
}

export interface TableRow {
  cells: TableCell[];
  /** The row's line without its line break. */
  line: Span;
}

export interface Table {
  header: TableRow;
  rows: TableRow[];
  /** The header line to the end of the last row. */
  span: Span;
}

const DELIMITER_ROW = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** The pipe tables in `text[from, to)` outside code blocks: a header line, a `|---|` line, then rows up to a blank line. */
export function tablesIn(parsed: ParsedRunbook, from: number, to: number): Table[] {
  const text = parsed.text;
  const { codeBlocks } = bodyStructure(parsed);
  const tables: Table[] = [];
  let previous: Span | undefined;
  let current: Table | undefined;
  // The next `|` at or after the line being read, found once for all the lines before it: searching again from every
  // line would scan the rest of the text once per line.
  let pipe = -2;
  for (let at = from; at < to;) {
    const lf = text.indexOf('\n', at);
    const next = lf === -1 || lf >= to ? to : lf + 1;
    let end = lf === -1 || lf >= to ? to : lf;
    if (end > at && text.charCodeAt(end - 1) === 13) end--;
    if (pipe !== -1 && pipe < at) pipe = text.indexOf('|', at);
    const hasPipe = pipe !== -1 && pipe < end;
    const line = { start: at, end };
    if (!hasPipe || inCodeBlock(codeBlocks, at)) {
      current = undefined;
      previous = undefined;
    } else if (current) {
      current.rows.push({ cells: splitRow(text, line), line });
      current.span.end = end;
    } else if (previous && DELIMITER_ROW.test(text.slice(at, end))) {
      current = {
        header: { cells: splitRow(text, previous), line: previous },
        rows: [],
        span: { start: previous.start, end },
      };
      tables.push(current);
    } else {
      previous = line;
    }
    at = next;
  }
  return tables;
}

/** The cells of a row: split at `|` not escaped by a backslash, without the empty cells outside a leading/trailing `|`. */
function splitRow(text: string, line: Span): TableCell[] {
  const cells: TableCell[] = [];
  let cellStart = line.start;
  for (let i = line.start; i < line.end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 124) {
      cells.push(trimmedCell(text, cellStart, i));
      cellStart = i + 1;
    }
  }
  cells.push(trimmedCell(text, cellStart, line.end));
  if (cells.length > 1 && cells[0]!.text === '' && /^[ \t]*\|/.test(text.slice(line.start, line.end))) cells.shift();
  if (cells.length > 1 && cells.at(-1)!.text === '' && /\|[ \t]*$/.test(text.slice(line.start, line.end))) cells.pop();
  return cells;
}

// Module-level rather than a closure in splitRow: the build's keepNames renames a nested function on every call.
function trimmedCell(text: string, start: number, end: number): TableCell {
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return { text: text.slice(start, end), span: { start, end } };
}

const MARKUP = /[\\`*_]/;

/** A cell's text as prose: code spans, emphasis and escapes removed. */
export function plainCell(text: string): string {
  // Most cells are plain words: then there is nothing to take out.
  if (!MARKUP.test(text)) return text.trim();
  return text
    .replace(/\\([\\|`*_{}[\]()#+\-.!])/g, '$1')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_]+)[*_](?=$|[^\w*])/g, '$1$2')
    .trim();
}
