// What every format parser shares: the FormatParser contract the reader drives, and small readers of untrusted JSON
// that never throw (a field of the wrong type reads as undefined, never as a crash).
import type { TextEvent, ThinkingEvent, TrajectoryEvent, Usage } from './events';

/** One CLI's line format. Stateful: one instance per stream. */
export interface FormatParser {
  /** Parses one whole line (no newline) with its 1-based number, appending its events to `out`. Every non-blank line
   * must give at least one event. May throw on a shape it did not foresee: the reader then keeps the line as unparsed. */
  line(text: string, lineNumber: number, out: TrajectoryEvent[]): void;
  /** The stream is over after `lastLine` lines: append what only the end can tell (codex's summed result). */
  end(lastLine: number, out: TrajectoryEvent[]): void;
}

export type Json = Record<string, unknown>;

/** One CLI's stream format, for readers that are told it or must recognise it (an opened log). */
export interface TrajectoryFormat {
  /** The agent that prints it. */
  id: string;
  /** Whether a JSON line can only be this format's: the first such line decides an unknown stream's format. */
  owns(line: Json): boolean;
  create(): FormatParser;
}

/** The line as a JSON object, or undefined when it is not one. */
export function parseObject(text: string): Json | undefined {
  // Cheap rejection of stderr noise and prose before JSON.parse pays for an exception.
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (text.charCodeAt(i) !== 123 /* { */) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The line as a JSON event (an object with a string `type`); anything else is pushed to `out` as unparsed. */
export function parseEventLine(
  text: string,
  line: number,
  out: TrajectoryEvent[],
): (Json & { type: string }) | undefined {
  const o = parseObject(text);
  if (!o) out.push({ kind: 'unparsed', line, text, reason: 'not-json' });
  else if (typeof o.type !== 'string') out.push({ kind: 'unparsed', line, text, reason: 'not-an-event' });
  else return o as Json & { type: string };
  return undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown): Json | undefined {
  return isObject(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function usage(input: number, output: number, cacheRead = 0, cacheWrite = 0, reasoning = 0): Usage {
  return { input, output, cacheRead, cacheWrite, reasoning };
}

/** Text of a content field that may be a string or an array of `{type:'text', text}` blocks (claude tool results). */
export function contentText(value: unknown): string {
  if (typeof value === 'string') return value;
  const parts: string[] = [];
  for (const block of arr(value)) {
    const b = obj(block);
    if (!b) continue;
    if (typeof b.text === 'string') parts.push(b.text);
    else if (b.type === 'image') parts.push('[image]');
  }
  return parts.join('\n');
}

/**
 * A message streamed as one line per piece (gemini's `delta` messages, ACP's message and thought chunks): each piece's
 * line gives an `other` event at once, and the whole message one `text` or `thinking` event, on the line of its last
 * piece, once it is over (the next line of another kind, or the end). A reader of the log or the tree then sees the
 * message whole, as claude-code's and codex's arrive, not cut where the network cut it.
 */
export interface ChunkJoiner {
  /** One piece of `kind`; a piece of the other kind first ends the message before it (into `out`). */
  add(
    kind: 'text' | 'thinking',
    piece: string,
    line: number,
    type: string,
    data: unknown,
    out: TrajectoryEvent[],
  ): void;
  /** The message is over: its event, unless it is only white space. */
  take(): (TextEvent | ThinkingEvent) | undefined;
  /** The message is over: its event, if any, into `out`. */
  flush(out: TrajectoryEvent[]): void;
}

export function createChunkJoiner(): ChunkJoiner {
  let kind: 'text' | 'thinking' | undefined;
  let pieces: string[] = [];
  let last = 0;
  const take = (): (TextEvent | ThinkingEvent) | undefined => {
    if (kind === undefined) return undefined;
    const text = pieces.join('').trim();
    const event = text ? { kind, line: last, text } : undefined;
    kind = undefined;
    pieces = [];
    return event;
  };
  const flush = (out: TrajectoryEvent[]) => {
    const event = take();
    if (event) out.push(event);
  };
  return {
    add(pieceKind, piece, line, type, data, out) {
      if (kind !== undefined && kind !== pieceKind) flush(out);
      kind = pieceKind;
      pieces.push(piece);
      last = line;
      out.push({ kind: 'other', line, type, data });
    },
    take,
    flush,
  };
}
