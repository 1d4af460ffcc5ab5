// `jetty-runbook replay <file|-> [--format text|json] [--summary]`: a saved trajectory (the format is detected) read in
// a terminal, as Jetty's log lines, as the normalised events, or as its figures alone. Streams from start to end with
// backpressure and keeps no events, so --summary runs in constant memory on a log of any size.
import { stat } from 'node:fs/promises';
import { redactorFromEnv } from '../core/redact';
import { errorMessage } from '../core/text';
import { EVENT_KINDS, type TrajectoryEvent } from '../core/trajectory/events';
import { formatCost, formatDuration, formatEvent, stringifyEvent } from '../core/trajectory/format';
import { readTrajectory } from '../core/trajectory/read';
import { createSummaryBuilder, type RunSummary } from '../core/trajectory/summary';
import { UsageError, fileProblem, readCommandLine, usageFailed, type Subcommand } from './common';
import { TRAJECTORY_FORMATS } from '../core/agents';

const USAGE = `usage: jetty-runbook replay <file|-> [options]
  Prints a saved claude-code or codex trajectory (the format is detected; - reads standard input).
options:
  --format text|json        text (default): Jetty's log lines; json: the normalised events, one JSON object per line
  --summary                 only the figures: events per kind, tokens, cost, turns, duration, status
exit status: 0 the log was read (whatever the run's outcome), 2 bad usage or an unreadable file
`;

const replay: Subcommand = async (args) => {
  const line = readCommandLine('replay', USAGE, args, {
    format: { type: 'string', default: 'text' },
    summary: { type: 'boolean', default: false },
  });
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  const format = values.format;
  if (format !== 'text' && format !== 'json')
    return usageFailed('replay', USAGE, new UsageError(`--format must be text or json, not '${format}'`));
  if (positionals.length > 1)
    return usageFailed(
      'replay',
      USAGE,
      new UsageError(`one file at a time (got '${positionals[0]}' and '${positionals[1]}')`),
    );
  const source = positionals[0];
  if (source === undefined)
    return usageFailed('replay', USAGE, new UsageError('which log? Give a file, or - for standard input'));
  const options: { source: string; format: 'text' | 'json'; summary: boolean } = {
    source,
    format,
    summary: values.summary,
  };
  // Provider keys found in the environment are redacted from everything printed.
  const redact = redactorFromEnv(process.env).redact;
  if (options.source !== '-') {
    const problem = await unreadable(options.source);
    if (problem) {
      process.stderr.write(`jetty-runbook replay: cannot read ${options.source}: ${problem}\n`);
      return 2;
    }
  }

  const summary = createSummaryBuilder();
  const read = await readTrajectory(options.source === '-' ? process.stdin : options.source, {
    formats: TRAJECTORY_FORMATS,
    transformLine: redact,
    onEvents: (batch: TrajectoryEvent[]) => {
      if (options.summary) summary.add(batch);
      else return write(render(batch, options.format));
    },
  });
  if (read.error !== undefined) {
    process.stderr.write(
      `jetty-runbook replay: reading ${options.source === '-' ? 'standard input' : options.source} failed: ${redact(errorMessage(read.error))}\n`,
    );
    return 2;
  }
  if (options.summary) await write(summaryText(summary.summary, read.format, options.format));
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
    return (
      JSON.stringify({
        format: format ?? 'unknown',
        status: s.status,
        error: s.error,
        turns: s.turns,
        durationMs: s.durationMs,
        usage: s.usage,
        costUsd: s.costUsd,
        events: counts,
      }) + '\n'
    );
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
    return (await stat(file)).isDirectory() ? 'it is a folder' : undefined;
  } catch (error) {
    return fileProblem(error);
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
