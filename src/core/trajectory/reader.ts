// The streaming trajectory reader: bytes in, events out. It composes line splitting → the line transform (redaction)
// → format detection → the format's parser, and is what the run command, "Open Trajectory Log…" and `replay` all use.
//
//   const reader = createTrajectoryReader({
//     format: 'auto',                       // or 'claude-code' | 'codex' when the caller knows
//     transformLine: redact,                // applied to each whole line BEFORE parsing: events and saved lines are clean
//     onLine: (line) => file.write(line + '\n'),   // the transformed raw stream, e.g. trajectory.jsonl
//     onEvents: (batch) => run.append(batch),      // one call per push()/end() that produced events
//   });
//   stdout.on('data', (chunk) => reader.push(chunk));
//   stdout.on('end', () => reader.end());
//
// Format detection (`auto`): the first line whose JSON `type` belongs to one CLI decides (claude: system, assistant,
// user, result, stream_event; codex: thread.*, turn.*, item.*, error). Lines before that are held back (at most
// DETECT_LINES lines or DETECT_CHARS characters), then parsed in order; if nothing decides, a generic parser keeps
// every JSON line as `other` and everything else as `unparsed`. Memory is bounded: the reader keeps no events, only
// the parser's small state (tool names by id, turn counters).
//
// Never throws on input: a line whose parsing throws becomes an `unparsed` event (reason bad-shape), and a throwing
// transformLine is treated the same way (the line is replaced by a notice, never passed on untransformed, so a
// broken redactor cannot leak a secret). Exceptions from onEvents/onLine propagate to the caller of push/end.
import { createClaudeCodeParser } from './claudeCode';
import { createCodexParser } from './codex';
import type { AgentFormat, TrajectoryEvent } from './events';
import { createLineSplitter, type LineSplitterOptions } from './lines';
import { parseObject, type FormatParser } from './parser';

export const DETECT_LINES = 50;
const DETECT_CHARS = 4 * 1024 * 1024;

export interface TrajectoryReaderOptions extends LineSplitterOptions {
  /** Default `auto`: detect from the first lines. */
  format?: 'auto' | AgentFormat;
  /** Applied to every whole line before anything else sees it: the redaction choke point. */
  transformLine?: (line: string) => string;
  /** Receives events in batches: one call per push() or end() that produced any. */
  onEvents: (batch: TrajectoryEvent[]) => void;
  /** Receives every line after transformLine (blank lines too), with its 1-based number, as soon as it is split. */
  onLine?: (line: string, lineNumber: number) => void;
  /** Told once, when the format is known (detected or given). */
  onFormat?: (format: AgentFormat | 'unknown') => void;
}

export interface TrajectoryReader {
  push(chunk: Uint8Array | string): void;
  /** The stream is over: flushes the last line, held lines and the parser's end-of-stream events. */
  end(): void;
  /** The format in use: given, detected, `unknown` when detection gave up, undefined while still undecided. */
  readonly format: AgentFormat | 'unknown' | undefined;
  /** Lines seen so far. */
  readonly lines: number;
}

function createParser(format: AgentFormat | 'unknown'): FormatParser {
  if (format === 'claude-code') return createClaudeCodeParser();
  if (format === 'codex') return createCodexParser();
  return createGenericParser();
}

/** Which CLI a parsed line belongs to, if its `type` tells. */
function detectFormat(line: string): AgentFormat | undefined {
  const type = parseObject(line)?.type;
  if (typeof type !== 'string') return undefined;
  if (type === 'system' || type === 'assistant' || type === 'user' || type === 'result' || type === 'stream_event')
    return 'claude-code';
  if (type === 'error' || type.startsWith('thread.') || type.startsWith('turn.') || type.startsWith('item.'))
    return 'codex';
  return undefined;
}

export function createTrajectoryReader(options: TrajectoryReaderOptions): TrajectoryReader {
  const { transformLine, onEvents, onLine, onFormat } = options;
  let format: AgentFormat | 'unknown' | undefined;
  let parser: FormatParser | undefined;
  let held: { text: string; n: number }[] = [];
  let heldChars = 0;
  let lineCount = 0;
  let out: TrajectoryEvent[] = [];

  const choose = (chosen: AgentFormat | 'unknown') => {
    format = chosen;
    parser = createParser(chosen);
    onFormat?.(chosen);
    const replay = held;
    held = [];
    heldChars = 0;
    for (const h of replay) parse(h.text, h.n);
  };

  const parse = (text: string, n: number) => {
    const before = out.length;
    try {
      parser!.line(text, n, out);
    } catch {
      out.length = before;
      out.push({ kind: 'unparsed', line: n, text, reason: 'bad-shape' });
    }
  };

  const onSplitLine = (raw: string) => {
    const n = ++lineCount;
    let text: string;
    try {
      text = transformLine ? transformLine(raw) : raw;
    } catch {
      text = '[Jetty: this line was withheld because redaction failed on it]';
    }
    onLine?.(text, n);
    // Blank lines carry nothing (the cheap test first: trim() would copy every line).
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return;
    if (parser) return parse(text, n);
    held.push({ text, n });
    heldChars += text.length;
    const detected = detectFormat(text);
    if (detected) choose(detected);
    else if (held.length >= DETECT_LINES || heldChars >= DETECT_CHARS) choose('unknown');
  };

  const splitter = createLineSplitter(onSplitLine, options);
  if (options.format && options.format !== 'auto') choose(options.format);

  const flush = () => {
    if (out.length === 0) return;
    const batch = out;
    out = [];
    onEvents(batch);
  };

  return {
    push(chunk) {
      splitter.push(chunk);
      flush();
    },
    end() {
      splitter.end();
      if (!parser && held.length) choose('unknown');
      parser?.end(lineCount, out);
      flush();
    },
    get format() {
      return format;
    },
    get lines() {
      return lineCount;
    },
  };
}

/** For streams of neither CLI: nothing is interpreted, nothing is lost. */
function createGenericParser(): FormatParser {
  return {
    line(text, line, out) {
      const o = parseObject(text);
      if (!o) out.push({ kind: 'unparsed', line, text, reason: 'not-json' });
      else if (typeof o.type === 'string') out.push({ kind: 'other', line, type: o.type, data: o });
      else out.push({ kind: 'unparsed', line, text, reason: 'not-an-event' });
    },
    end() {},
  };
}
