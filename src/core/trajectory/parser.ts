// What every format parser shares: the FormatParser contract the reader drives, and small readers of untrusted JSON
// that never throw (a field of the wrong type reads as undefined, never as a crash).
import type { TrajectoryEvent, Usage } from './events';

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
