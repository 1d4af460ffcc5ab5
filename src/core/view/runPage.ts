// What the run view shows, as plain data built from the run model: the header (what ran, where, how it ended, its
// figures and Jetty's evaluation), one timeline row per entry, the tokens per turn for the chart, and the results (the
// main output first, the report's stages). The webview script only lays these out; everything here is unit-tested.
import type { RunModel } from '../run/model';
import { durationOf } from '../run/model';
import type { ReportStage, RunEval } from '../run/evaluation';
import { describeEval, REPORT_FILE } from '../run/evaluation';
import { commandOf } from '../trajectory/commands';
import { RunEntries, type Entry } from '../trajectory/entries';
import { describeToolCall, formatCost, formatDuration, formatEvent, fullText } from '../trajectory/format';
import type { TurnTokens } from '../run/model';
import { clip, firstLine } from '../text';

export type FigureKey =
  'duration' | 'turns' | 'tokensIn' | 'tokensOut' | 'cacheRead' | 'cacheWrite' | 'cost' | 'commands' | 'failedCommands';

export interface Figure {
  key: FigureKey;
  label: string;
  /** As shown: `1.4 s`, `3,600`, `$0.0108`, `–` when the run does not say. */
  text: string;
  /** The number behind it, for comparing (ms, tokens, USD, count); undefined when unknown. */
  value?: number;
}

export interface RunHeader {
  runbook: string;
  status: string;
  /** pass: succeeded; fail: failed or timed out; other: running, cancelled, did not finish. */
  tone: 'pass' | 'fail' | 'running' | 'other';
  error?: string;
  /** Why the run went to another provider than the runbook's, as the run said it. */
  note?: string;
  /** agent, model, provider, sandbox, started: what ran where. */
  facts: { label: string; text: string }[];
  figures: Figure[];
  evaluation?: RunEval & { text: string };
}

const STATUS_WORDS: Record<string, string> = { unfinished: 'did not finish here' };

export function runHeader(model: RunModel, now = Date.now()): RunHeader {
  const s = model.summary.summary;
  const info = model.info;
  const record = model.record;
  const facts: RunHeader['facts'] = [];
  const agent = info.agent ?? record?.agent;
  if (agent) facts.push({ label: 'Agent', text: record?.agentVersion ? `${agent} ${record.agentVersion}` : agent });
  // What ran, and what the runbook asked for when Jetty's choice of provider moved it (the record's note says why).
  const asked = (used: string, requested: string | undefined) =>
    requested && requested !== used ? `${used} (the runbook asked for ${requested})` : used;
  const modelId = info.model ?? s.model;
  if (modelId) facts.push({ label: 'Model', text: asked(modelId, record?.requestedModel) });
  const provider = record?.provider || info.provider;
  if (provider) facts.push({ label: 'Provider', text: asked(provider, record?.requestedProvider) });
  const sandbox = record?.sandbox?.kind ?? info.sandbox;
  if (sandbox) {
    const where = record?.sandbox?.snapshot ?? record?.sandbox?.image;
    facts.push({ label: 'Sandbox', text: where ? `${sandbox} · ${where}` : sandbox });
  }
  if (info.startedAt)
    facts.push({ label: 'Started', text: new Date(info.startedAt).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  const parameters = Object.entries(record?.parameters ?? {});
  const unfilled = record?.unfilled ?? [];
  if (parameters.length || unfilled.length)
    facts.push({
      label: 'Parameters',
      text: [...parameters.map(([k, v]) => `${k}=${v}`), ...unfilled.map((name) => `${name} not given`)].join(', '),
    });
  if (record?.inputFiles?.length) facts.push({ label: 'Input files', text: record.inputFiles.join(', ') });
  if (info.file && !info.folder) facts.push({ label: 'Log', text: info.file });

  const evaluation = model.evaluation;
  const tone =
    model.status === 'succeeded'
      ? 'pass'
      : model.status === 'failed' || model.status === 'timed out'
        ? 'fail'
        : model.status === 'running'
          ? 'running'
          : 'other';
  return {
    runbook: model.title,
    status: STATUS_WORDS[model.status] ?? model.status,
    tone,
    ...(model.error ? { error: model.error } : {}),
    ...(record?.providerNote ? { note: record.providerNote } : {}),
    facts,
    figures: runFigures(model, now),
    ...(evaluation ? { evaluation: { ...evaluation, text: describeEval(evaluation) } } : {}),
  };
}

/** The figures of a run, in the header's order: the same list the comparison lines up. */
export function runFigures(model: RunModel, now = Date.now()): Figure[] {
  const s = model.summary.summary;
  const duration = durationOf(model, now);
  const { run: commands, failed } = model.commands;
  const tokens = s.usage.input + s.usage.output > 0;
  const count = (key: FigureKey, label: string, value: number | undefined): Figure => ({
    key,
    label,
    text: value === undefined ? '–' : value.toLocaleString('en-US'),
    ...(value !== undefined ? { value } : {}),
  });
  return [
    {
      key: 'duration',
      label: 'Duration',
      text: duration === undefined ? '–' : formatDuration(duration),
      ...(duration !== undefined ? { value: duration } : {}),
    },
    count('turns', 'Turns', s.turns || undefined),
    count('tokensIn', 'Tokens in', tokens ? s.usage.input : undefined),
    count('tokensOut', 'Tokens out', tokens ? s.usage.output : undefined),
    count('cacheRead', 'Cache read', tokens ? s.usage.cacheRead : undefined),
    count('cacheWrite', 'Cache write', tokens ? s.usage.cacheWrite : undefined),
    {
      key: 'cost',
      label: 'Cost',
      text: s.costUsd === undefined ? 'not reported' : formatCost(s.costUsd),
      ...(s.costUsd !== undefined ? { value: s.costUsd } : {}),
    },
    count('commands', 'Commands', commands),
    count('failedCommands', 'Failed commands', failed),
  ];
}

/** The kinds the timeline's filter offers. */
export type RowKind = 'message' | 'thinking' | 'command' | 'tool' | 'file' | 'problem' | 'info';

export interface TimelineRow {
  /** The entry's position in the run (0-based). */
  index: number;
  kind: RowKind;
  /** A codicon name. */
  icon: string;
  tone?: 'ok' | 'error' | 'warning' | 'pending';
  /** One line, at most LABEL_MAX characters. */
  label: string;
  /** A command's `exit N` (or `running`, or its status word). */
  exit?: string;
  /** The start of its output or text, for search (at most PREVIEW_MAX characters, one line). */
  preview?: string;
  /** Whether unfolding it shows more (the output, the whole text, the input). */
  folded: boolean;
  /** Its line in trajectory.jsonl. */
  line: number;
}

const LABEL_MAX = 200;
const PREVIEW_MAX = 200;
/** What unfolding a row may show at most; the documents of the tree show the rest. */
export const DETAIL_MAX = 200_000;

/** `ended`: the run is over, so a call or command still without its outcome never got one (it reads `stopped`). */
export function timelineRow(entry: Entry, ended = false): TimelineRow {
  const e = entry.event;
  const outcome = RunEntries.outcomeOf(entry);
  const tone: TimelineRow['tone'] =
    outcome === 'ok'
      ? 'ok'
      : outcome === 'error'
        ? 'error'
        : outcome === 'pending'
          ? ended
            ? 'warning'
            : 'pending'
          : undefined;
  const base = { index: entry.index, line: e.line };
  const command = commandOf(entry);
  if (command) {
    return {
      ...base,
      kind: 'command',
      icon: 'terminal',
      ...(tone ? { tone } : {}),
      label: label(firstLine(command.command) || '(empty command)'),
      exit:
        command.exitCode === undefined
          ? ended
            ? 'stopped'
            : 'running'
          : command.exitCode === null
            ? exitWord(entry)
            : `exit ${command.exitCode}`,
      ...preview(command.output),
      folded: true,
    };
  }
  switch (e.kind) {
    case 'text':
      return {
        ...base,
        kind: 'message',
        icon: 'comment',
        label: label(firstLine(e.text)),
        folded: e.text.includes('\n'),
      };
    case 'thinking':
      return { ...base, kind: 'thinking', icon: 'lightbulb', label: label(firstLine(e.text)), folded: true };
    case 'tool-call': {
      const output = entry.outcome?.kind === 'tool-result' ? entry.outcome.output : '';
      return {
        ...base,
        kind: 'tool',
        icon: 'tools',
        ...(tone ? { tone } : {}),
        label: label(`${e.name}: ${firstLine(describeToolCall(e.name, e.input))}`),
        ...preview(output),
        folded: true,
      };
    }
    case 'tool-result':
      return {
        ...base,
        kind: 'tool',
        icon: 'output',
        ...(tone ? { tone } : {}),
        label: label(`${e.isError ? 'tool error' : 'tool result'}${e.name ? ` (${e.name})` : ''}`),
        ...preview(e.output),
        folded: true,
      };
    case 'file-change':
      return { ...base, kind: 'file', icon: 'diff', label: label(logLine(entry)), folded: false };
    case 'error':
      return { ...base, kind: 'problem', icon: 'error', tone: 'error', label: label(logLine(entry)), folded: true };
    case 'warning':
    case 'retry':
      return {
        ...base,
        kind: 'problem',
        icon: e.kind === 'retry' ? 'debug-restart' : 'warning',
        tone: 'warning',
        label: label(logLine(entry)),
        folded: true,
      };
    case 'unparsed':
      return {
        ...base,
        kind: 'problem',
        icon: 'question',
        tone: 'warning',
        label: label(logLine(entry)),
        folded: true,
      };
    case 'result':
      return {
        ...base,
        kind: 'info',
        icon: e.status === 'succeeded' ? 'pass' : 'error',
        tone: e.status === 'succeeded' ? 'ok' : 'error',
        label: label(logLine(entry)),
        folded: Boolean(e.text),
      };
    case 'init':
      return { ...base, kind: 'info', icon: 'rocket', label: label(logLine(entry)), folded: true };
    default:
      return {
        ...base,
        kind: 'info',
        icon: e.kind === 'usage' ? 'dashboard' : 'circle-small',
        label: label(logLine(entry)),
        folded: true,
      };
  }
}

/** What unfolding a row shows: the entry's whole content (its outcome included), bounded. */
export function detailOf(entry: Entry): string {
  // A command reads the same whichever CLI ran it (claude's Bash is a tool call, codex's a command item).
  const command = commandOf(entry);
  const text = command
    ? `Command: ${command.command}\n${command.exitCode === undefined ? 'Still running.' : `Exit code: ${command.exitCode ?? 'none'}`}\n\nOutput:\n${command.output}\n`
    : fullText(entry.event, entry.outcome);
  return text.length <= DETAIL_MAX
    ? text
    : `${text.slice(0, DETAIL_MAX)}\n… (${text.length - DETAIL_MAX} more characters: open the event from the Jetty Trajectories view)`;
}

/** One bar of the chart: a turn, or the mean of several neighbouring turns when the run has more than MAX_BARS. */
export interface TurnBar {
  /** 1-based, inclusive. */
  from: number;
  to: number;
  input: number;
  cacheRead: number;
  output?: number;
}

/** A chart of 25,000 turns, redrawn ten times a second, would be 75,000 shapes: neighbouring turns share a bar. */
export const MAX_BARS = 100;

export interface TurnChart {
  bars: TurnBar[];
  /** How many turns the bars stand for. */
  turns: number;
  /** The tallest bar (input, plus output where known), to scale them. */
  max: number;
  /** Whether the turns have their output (codex, claude with partial messages). */
  withOutput: boolean;
  /** The run's cost when the CLI reports one: agent CLIs report cost only as a total, never per turn. */
  costUsd?: number;
  /** Says what the chart lacks and why, when it does. */
  note?: string;
}

export function turnChart(model: RunModel): TurnChart {
  const turns = model.turns;
  const withOutput = turns.some((t) => t.output !== undefined);
  const per = Math.ceil(turns.length / MAX_BARS) || 1;
  const bars: TurnBar[] = [];
  for (let start = 0; start < turns.length; start += per) {
    const group = turns.slice(start, start + per);
    const mean = (pick: (t: TurnTokens) => number) => Math.round(group.reduce((n, t) => n + pick(t), 0) / group.length);
    bars.push({
      from: group[0]!.turn,
      to: group[group.length - 1]!.turn,
      input: mean((t) => t.input),
      cacheRead: mean((t) => t.cacheRead),
      ...(withOutput ? { output: mean((t) => t.output ?? 0) } : {}),
    });
  }
  const max = bars.reduce((m, b) => Math.max(m, b.input + (b.output ?? 0)), 0);
  const cost = model.summary.summary.costUsd;
  const notes: string[] = [];
  if (turns.length === 0) notes.push('No per-turn token figures in this trajectory.');
  else if (!withOutput) notes.push('Input per turn; the CLI reports output tokens only for the whole run.');
  if (per > 1) notes.push(`Each bar is the mean of ${per} turns.`);
  notes.push(
    cost === undefined
      ? 'No cost reported.'
      : `Cost ${formatCost(cost)} for the whole run (no CLI reports it per turn).`,
  );
  return {
    bars,
    turns: turns.length,
    max,
    withOutput,
    ...(cost !== undefined ? { costUsd: cost } : {}),
    note: notes.join(' '),
  };
}

export type PreviewKind = 'markdown' | 'image' | 'json' | 'text' | 'open';

/** How the run view previews a result file, by its name. */
export function previewKind(file: string): PreviewKind {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'bmp'].includes(ext)) return 'image';
  if (ext === 'json') return 'json';
  if (['txt', 'csv', 'tsv', 'log', 'yaml', 'yml', 'xml', 'html', 'py', 'js', 'ts', 'sh', 'toml', 'ini'].includes(ext))
    return 'text';
  return 'open';
}

export interface ResultFile {
  /** Relative to results/, '/'-separated. */
  path: string;
  role: 'main' | 'summary' | 'report' | 'file';
  preview: PreviewKind;
}

export interface ResultsView {
  files: ResultFile[];
  /** The report's stages, in its order. */
  stages: ReportStage[];
}

/** The results in the order the run view lists them: the main output(s), summary.md, the report, then the rest. */
export function resultsView(model: RunModel): ResultsView {
  const have = new Set(model.results);
  const primary = model.primaryFiles;
  const files: ResultFile[] = [];
  const add = (path: string, role: ResultFile['role']) => {
    if (!have.has(path) || files.some((f) => f.path === path)) return;
    files.push({ path, role, preview: previewKind(path) });
  };
  for (const f of primary) add(f, 'main');
  add('summary.md', 'summary');
  add(REPORT_FILE, 'report');
  for (const f of [...have].sort()) add(f, 'file');
  return { files, stages: model.report?.stages ?? [] };
}

function exitWord(entry: Entry): string {
  const o = entry.outcome ?? entry.event;
  return o.kind === 'command-completed' ? o.status : 'failed';
}

function logLine(entry: Entry): string {
  return (formatEvent(entry.event)[0] ?? entry.event.kind).replace(/^\[agent\] /, '');
}

function preview(text: string): { preview?: string } {
  const line = text.replace(/\s+/g, ' ').trim();
  return line ? { preview: line.length <= PREVIEW_MAX ? line : `${line.slice(0, PREVIEW_MAX)}…` } : {};
}

function label(text: string): string {
  return clip(text, LABEL_MAX);
}
