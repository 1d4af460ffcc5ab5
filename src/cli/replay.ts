// `jetty-runbook replay <file|-> [--format text|json] [--summary]`: reads a saved claude-code or codex trajectory (the
// format is detected) and prints Jetty's log lines (text, the default), the normalised events as one JSON object per
// line (json), or with --summary only the figures: events per kind, tokens in/out, cost, turns, duration, status.
// Streams from start to end with backpressure and keeps no events, so --summary runs in constant memory on a log of any
// size. Provider keys found in the environment are redacted from everything printed.
// Exit codes: 0 the log was read (whatever the run's outcome), 2 bad arguments or an unreadable file.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { redactorFromEnv } from '../core/redact';
import { EVENT_KINDS, type TrajectoryEvent } from '../core/trajectory/events';
import { formatCost, formatDuration, formatEvent, stringifyEvent } from '../core/trajectory/format';
import { createTrajectoryReader } from '../core/trajectory/reader';
import { createSummaryBuilder, type RunSummary } from '../core/trajectory/summary';
import type { Subcommand } from './common';

const USAGE = 'usage: jetty-runbook replay <file|-> [--format text|json] [--summary]\n';

interface Options {
  source: string;
  format: 'text' | 'json';
  summary: boolean;
}

function parseArgs(args: string[]): Options | string {
  let source: string | undefined;
  let format: 'text' | 'json' = 'text';
  let summary = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--summary') summary = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice('--format='.length) : args[++i];
      if (value !== 'text' && value !== 'json') return `--format must be text or json, not ${value === undefined ? 'nothing' : `'${value}'`}`;
      format = value;
    } else if (arg === '-h' || arg === '--help') return '';
    else if (arg.startsWith('--')) return `unknown option '${arg}'`;
    else if (source === undefined) source = arg;
    else return `one file at a time (got '${source}' and '${arg}')`;
  }
  if (source === undefined) return 'which log? Give a file, or - for standard input';
  return { source, format, summary };
}

const replay: Subcommand = async (args) => {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    process.stderr.write(options ? `jetty-runbook replay: ${options}\n${USAGE}` : USAGE);
    return options ? 2 : 0;
  }
  const redact = redactorFromEnv(process.env).redact;
  let input: Readable;
  if (options.source === '-') {
    input = process.stdin;
  } else {
    const problem = await unreadable(options.source);
    if (problem) {
      process.stderr.write(`jetty-runbook replay: cannot read ${options.source}: ${problem}\n`);
      return 2;
    }
    input = createReadStream(options.source, { highWaterMark: 1024 * 1024 });
  }

  const summary = createSummaryBuilder();
  let text = '';
  const reader = createTrajectoryReader({
    transformLine: redact,
    onEvents: (batch: TrajectoryEvent[]) => {
      if (options.summary) summary.add(batch);
      else text += render(batch, options.format);
    },
  });
  try {
    for await (const chunk of input) {
      reader.push(chunk as Buffer);
      if (text) await write(text);
      text = '';
    }
  } catch (error) {
    reader.end();
    if (text) await write(text);
    process.stderr.write(`jetty-runbook replay: reading ${options.source === '-' ? 'standard input' : options.source} failed: ${redact(error instanceof Error ? error.message : String(error))}\n`);
    return 2;
  }
  reader.end();
  if (text) await write(text);
  if (options.summary) await write(summaryText(summary.summary, reader.format, options.format));
  return 0;
};

export default replay;

function render(batch: TrajectoryEvent[], format: 'text' | 'json'): string {
  let out = '';
  for (const event of batch) {
    if (format === 'json') out += stringifyEvent(event) + '\n';
    else for (const line of formatEvent(event)) out += line + '\n';
  }
  return out;
}

export function summaryText(s: RunSummary, format: string | undefined, as: 'text' | 'json'): string {
  const counts = Object.fromEntries(EVENT_KINDS.filter((k) => s.counts[k] > 0).map((k) => [k, s.counts[k]]));
  if (as === 'json') {
    return JSON.stringify({ format: format ?? 'unknown', status: s.status, error: s.error, turns: s.turns, durationMs: s.durationMs, usage: s.usage, costUsd: s.costUsd, events: counts }) + '\n';
  }
  const lines = [
    `format: ${format ?? 'unknown'}`,
    `status: ${s.status}${s.error ? ` — ${s.error}` : ''}`,
    `turns: ${s.turns}${s.durationMs !== undefined ? `, ${formatDuration(s.durationMs)}` : ''}`,
    `tokens: in=${s.usage.input} out=${s.usage.output} (cache read ${s.usage.cacheRead}, cache write ${s.usage.cacheWrite}, reasoning ${s.usage.reasoning})`,
    `cost: ${s.costUsd !== undefined ? formatCost(s.costUsd) : 'not reported'}`,
    'events:',
    ...Object.entries(counts).map(([kind, n]) => `  ${kind}: ${n}`),
  ];
  return lines.join('\n') + '\n';
}

async function unreadable(file: string): Promise<string | undefined> {
  try {
    const s = await stat(file);
    return s.isDirectory() ? 'it is a folder' : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    return (error as Error).message;
  }
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    // Resolve on drain (or at once) so a slow pipe holds the reading back instead of filling memory; an error on
    // stdout (a closed pipe, `| head`) ends the wait too.
    if (process.stdout.write(text)) resolve();
    else {
      const done = () => {
        process.stdout.off('drain', done);
        process.stdout.off('error', done);
        resolve();
      };
      process.stdout.once('drain', done);
      process.stdout.once('error', done);
    }
  });
}
