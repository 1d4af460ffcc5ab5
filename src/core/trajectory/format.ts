// Events → Jetty's log lines, in the style of the codex runtime page (seeds/003), so the output channel and
// `jetty-runbook replay` read as Jetty's own logs. Also the one place that says how a tool call reads in a few words
// (describeToolCall), which the tree's labels share.
import { clip } from '../text';
import type { ResultEvent, TrajectoryEvent, Usage } from './events';

export interface FormatOptions {
  /** Longest text kept from a tool's or command's output in one log line; the rest is counted, not printed. */
  maxOutput?: number;
}

const DEFAULT_MAX_OUTPUT = 4000;
const PREFIX = '[agent] ';
const CONTINUATION = '\n' + ' '.repeat(PREFIX.length);

/**
 * The log lines for one event (none for `turn-started` and `other`: they carry nothing a reader of the log needs):
 *   [agent] exec: <command>
 *   [agent] output (exit N): <stdout>
 *   [agent] <text>
 *   [agent] turn done — tokens in=X out=Y
 * and the same style for everything else (claude tool calls and results, the result with its cost, errors, warnings).
 * A line holds newlines when its text has several lines (a message, a heredoc command, a tool's output); every line
 * after its first is indented under it, so no line of the log reads as if it stood on its own.
 */
export function formatEvent(event: TrajectoryEvent, options: FormatOptions = {}): string[] {
  const lines = eventLines(event, options.maxOutput ?? DEFAULT_MAX_OUTPUT);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.includes('\n')) lines[i] = line.replace(/\r?\n/g, CONTINUATION);
  }
  return lines;
}

function eventLines(event: TrajectoryEvent, max: number): string[] {
  switch (event.kind) {
    case 'init': {
      const parts = [
        event.model && `model ${event.model}`,
        event.tools.length ? `${event.tools.length} tools` : undefined,
        event.session && `session ${event.session}`,
      ];
      return [`${PREFIX}started: ${parts.filter(Boolean).join(', ') || 'new session'}`];
    }
    case 'turn-started':
    case 'other':
      return [];
    case 'text':
      return [`${PREFIX}${event.text}`];
    case 'thinking':
      return [`${PREFIX}thinking: ${event.text}`];
    case 'tool-call':
      return [`${PREFIX}tool ${event.name}: ${describeToolCall(event.name, event.input)}`];
    case 'tool-result':
      return [
        `${PREFIX}${event.isError ? 'tool error' : 'tool result'}${event.name ? ` (${event.name})` : ''}: ${clip(event.output.trimEnd(), max, true)}`,
      ];
    case 'command-started':
      return [`${PREFIX}exec: ${event.command}`];
    case 'command-completed':
      // The seed's `(exit N)`; a command without an exit code (it could not start, was declined…) says so with its status.
      return [
        `${PREFIX}output (exit ${event.exitCode ?? `?, ${event.status}`}): ${clip(event.output.trimEnd(), max, true)}`,
      ];
    case 'file-change':
      return [
        `${PREFIX}file change: ${event.changes.map((c) => `${c.change} ${c.path}`).join(', ') || '(no files)'}${event.status === 'completed' ? '' : ` (${event.status})`}`,
      ];
    case 'usage':
      return [`${PREFIX}turn done — ${tokens(event.usage)}`];
    case 'retry': {
      const of = event.maxAttempts ? `${event.attempt}/${event.maxAttempts}` : `${event.attempt}`;
      const delay = event.delayMs !== undefined ? ` in ${formatDuration(event.delayMs)}` : '';
      return [`${PREFIX}retry ${of}${delay}: ${event.message}`];
    }
    case 'warning':
      return [`${PREFIX}warning: ${event.message}`];
    case 'error':
      return [`${PREFIX}error: ${event.message}${event.reason ? ` (${event.reason})` : ''}`];
    case 'result':
      return [formatResult(event)];
    case 'unparsed':
      return [`${PREFIX}(line ${event.line}, not an event) ${clip(event.text.trimEnd(), max, true)}`];
  }
}

/** `tokens in=X out=Y`, the seed's wording. */
export function tokens(usage: Usage): string {
  return `tokens in=${usage.input} out=${usage.output}`;
}

export function formatCost(usd: number): string {
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

function formatResult(e: ResultEvent): string {
  const figures: string[] = [];
  if (e.turns !== undefined) figures.push(`${e.turns} turn${e.turns === 1 ? '' : 's'}`);
  if (e.durationMs !== undefined) figures.push(formatDuration(e.durationMs));
  figures.push(tokens(e.usage));
  if (e.costUsd !== undefined) figures.push(`cost ${formatCost(e.costUsd)}`);
  // claude reports an API failure as subtype "success" with is_error; codex's summed result says just "failed".
  const why = e.subtype && e.subtype !== 'success' && e.subtype !== 'failed' ? ` (${e.subtype})` : '';
  const head = e.status === 'succeeded' ? 'done' : `failed${why}${e.error ? `: ${e.error}` : ''}`;
  return `${PREFIX}${head} — ${figures.join(', ')}`;
}

/** A tool call in a few words: the command for a shell, the path for a file tool, else its input as compact JSON. */
export function describeToolCall(name: string, input: unknown): string {
  const o = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : undefined;
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = o?.[k];
      if (typeof v === 'string' && v) return v;
    }
    return undefined;
  };
  const main = pick(
    'command',
    'cmd',
    'file_path',
    'filePath',
    'path',
    'notebook_path',
    'pattern',
    'url',
    'query',
    'description',
    'prompt',
  );
  if (main !== undefined) return main;
  return clip(stringifyEvent(input).trimEnd(), 300, true);
}

/** Deeper than this, `stringifyEvent` cuts a value: JSON.parse accepts nesting that JSON.stringify's recursion cannot print. */
const MAX_JSON_DEPTH = 100;
/** Stands where `stringifyEvent` cut a value nested deeper than MAX_JSON_DEPTH. */
export const CUT_NESTING = '[nested too deep: cut by Jetty]';

/**
 * JSON text of an event (or any part of one) that never throws and is always valid JSON: the one stringify for every
 * JSON output of events (`replay`/`run --format json`, the documents the tree opens). A line such as
 * `{"d":[[[…5,000 levels…]]]}` parses but overflows JSON.stringify's stack; then only the part below MAX_JSON_DEPTH
 * is replaced by CUT_NESTING, the rest of the event stays as it was.
 */
export function stringifyEvent(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? 'null';
  } catch {
    return JSON.stringify(cutNesting(value, MAX_JSON_DEPTH), null, indent) ?? 'null';
  }
}

function cutNesting(value: unknown, depth: number): unknown {
  if (typeof value === 'bigint') return String(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth === 0) return CUT_NESTING;
  if (Array.isArray(value)) return value.map((v) => cutNesting(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = cutNesting(v, depth - 1);
  return out;
}

/** The whole of one event (and its outcome, for a call), for the read-only document a tree node opens and for Copy. */
export function fullText(event: TrajectoryEvent, outcome?: TrajectoryEvent): string {
  switch (event.kind) {
    case 'tool-call': {
      const parts = [`Tool: ${event.name}`, `Call id: ${event.id}`, '', 'Input:', stringifyEvent(event.input, 2)];
      if (outcome?.kind === 'tool-result')
        parts.push('', outcome.isError ? 'Result (error):' : 'Result:', outcome.output);
      else parts.push('', 'Result: (none yet)');
      return parts.join('\n') + '\n';
    }
    case 'command-started':
    case 'command-completed': {
      const done =
        event.kind === 'command-completed' ? event : outcome?.kind === 'command-completed' ? outcome : undefined;
      const parts = [`Command: ${event.command}`];
      if (done) parts.push(`Exit code: ${done.exitCode ?? 'none'} (${done.status})`, '', 'Output:', done.output);
      else parts.push('', 'Output: (still running)');
      return parts.join('\n') + '\n';
    }
    case 'tool-result':
      return `${event.isError ? 'Result (error)' : 'Result'} of ${event.name ?? 'tool'} call ${event.callId}:\n${event.output}\n`;
    case 'text':
    case 'thinking':
      return event.text + '\n';
    case 'unparsed':
      return event.text + '\n';
    default:
      return [...formatEvent(event, { maxOutput: Infinity }), '', stringifyEvent(event, 2)].join('\n') + '\n';
  }
}
