// The streaming trajectory reader: bytes in, events out. It composes line splitting → the line transform (redaction)
// → format detection → the format's parser, and is what runs, opened logs, past runs and `replay` all use. Never
// throws on input, and keeps no events: memory is bounded by the parser's small state (see the notes on each option).
import type { TrajectoryEvent } from './events';
import { CUT_AT_END, type Redact } from '../redact';
import { createLineSplitter, cutNotice, type LineSplitterOptions } from './lines';
import { parseObject, type FormatParser, type TrajectoryFormat } from './parser';

/**
 * Format detection (several `formats`): the first line a format `owns` decides; lines before that are held back (at
 * most DETECT_LINES lines or DETECT_CHARS characters), then parsed in order; if nothing decides, a generic parser keeps
 * every JSON line as `other` and everything else as `unparsed`.
 */
export const DETECT_LINES = 50;
const DETECT_CHARS = 4 * 1024 * 1024;

export interface TrajectoryReaderOptions extends LineSplitterOptions {
  /** The stream's format when it is known; several to recognise it from its first lines (an opened log). */
  formats: TrajectoryFormat | readonly TrajectoryFormat[];
  /**
   * Applied to every line before anything else sees it: the redaction choke point. A line cut at the maximum length is
   * given with CUT_AT_END (the cut may have split a key), and gets its cut notice after.
   */
  transformLine?: Redact;
  /** Receives events in batches: one call per push() or end() that produced any. */
  onEvents: (batch: TrajectoryEvent[]) => void;
  /** Receives every line after transformLine (blank lines too), with its 1-based number, as soon as it is split. */
  onLine?: (line: string, lineNumber: number) => void;
  /** Told once, when the format is known (detected or given). */
  onFormat?: (format: string) => void;
}

export interface TrajectoryReader {
  push(chunk: Uint8Array | string): void;
  /** The stream is over: flushes the last line, held lines and the parser's end-of-stream events. */
  end(): void;
  /** The format in use (its agent's id): given, detected, `unknown` when detection gave up, undefined while undecided. */
  readonly format: string | undefined;
  /** Lines seen so far. */
  readonly lines: number;
}

/**
 * A line whose parsing throws becomes `unparsed` (bad-shape); a throwing transformLine replaces the line by a notice,
 * never passing it on untransformed (a broken redactor must not leak a secret). Exceptions from onEvents/onLine
 * propagate to the caller of push/end.
 */
export function createTrajectoryReader(options: TrajectoryReaderOptions): TrajectoryReader {
  const { transformLine, onEvents, onLine, onFormat } = options;
  const formats = Array.isArray(options.formats) ? options.formats : [options.formats as TrajectoryFormat];
  let format: string | undefined;
  let parser: FormatParser | undefined;
  let held: { text: string; n: number }[] = [];
  let heldChars = 0;
  let lineCount = 0;
  let out: TrajectoryEvent[] = [];

  const choose = (chosen: TrajectoryFormat | undefined) => {
    format = chosen?.id ?? 'unknown';
    parser = chosen ? chosen.create() : createGenericParser();
    onFormat?.(format);
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

  const onSplitLine = (raw: string, dropped: number) => {
    const n = ++lineCount;
    let text: string;
    try {
      text = transformLine ? transformLine(raw, dropped ? CUT_AT_END : undefined) : raw;
      if (dropped) text += cutNotice(dropped);
    } catch {
      text = '[Jetty: this line was withheld because redaction failed on it]';
    }
    onLine?.(text, n);
    // Blank lines carry nothing (the cheap test first: trim() would copy every line).
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return;
    if (parser) return parse(text, n);
    held.push({ text, n });
    heldChars += text.length;
    const line = parseObject(text);
    const detected = line && formats.find((f) => f.owns(line));
    if (detected) choose(detected);
    else if (held.length >= DETECT_LINES || heldChars >= DETECT_CHARS) choose(undefined);
  };

  const splitter = createLineSplitter(onSplitLine, options);
  if (formats.length === 1) choose(formats[0]);

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
      if (!parser && held.length) choose(undefined);
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
