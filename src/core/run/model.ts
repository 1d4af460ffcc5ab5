// A run as everything that shows it sees it: the tree, the run view, the comparison and `jetty-runbook compare`. What
// ran (RunInfo, then run.json), its events as they arrive with the entries, figures and per-turn token series built from
// them incrementally, how it ended, and its evaluation and main output (run.json's `eval` and `primary_files` when it
// has them, else read from the results folder). Plain data and node: no VS Code, so it is tested on its own.
import path from 'node:path';
import { commandOf } from '../trajectory/commands';
import { RunEntries, type Entry } from '../trajectory/entries';
import type { TrajectoryEvent, Usage } from '../trajectory/events';
import { formatsOf } from '../agents';
import { readTrajectory } from '../trajectory/read';
import { createSummaryBuilder, type SummaryBuilder } from '../trajectory/summary';
import type { EndStatus, RunInfo, RunStatus } from '../trajectory/trajectories';
import { asRunEval, evalOf, readEvaluationReport, type EvaluationReport, type RunEval } from './evaluation';
import { primaryFiles } from './outputs';
import { readRunRecord, RESULTS_FOLDER, TRAJECTORY_FILE, type RunRecord } from './runs';

/** One model turn's tokens, as far as the CLI says them. */
export interface TurnTokens {
  /** 1-based. */
  turn: number;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  /** undefined when the CLI tells only the turn's input (claude without partial messages). */
  output?: number;
}

/** What a batch changed: entries from `from` on are new, `changed` ones got their outcome. */
export interface RunChange {
  from: number;
  changed: Entry[];
}

export class RunModel {
  readonly entries = new RunEntries();
  readonly summary: SummaryBuilder = createSummaryBuilder();
  /** Every event, in order. */
  readonly events: TrajectoryEvent[] = [];
  /** Tokens per model turn, for the run view's chart. */
  readonly turns: TurnTokens[] = [];
  /** Shell commands run, and how many of them ended with an exit code other than 0 (kept as events arrive: the
   * header asks ten times a second, and a run may have 100,000 entries). */
  readonly commands = { run: 0, failed: 0 };
  status: RunStatus | EndStatus = 'running';
  error: string | undefined;
  finishedAt: number | undefined;
  /** run.json, once read (a saved run, or a live one when it has ended). */
  record: RunRecord | undefined;
  /** The results folder's validation_report.json, once read. */
  report: EvaluationReport | undefined;
  private primary: string[] = [];
  /** Whether turns come from the CLI's per-turn usage (codex, claude with partial messages): they then win. */
  private usageTurns = false;

  constructor(
    readonly id: string,
    public info: RunInfo & { startedAt: number },
  ) {}

  get title(): string {
    return this.info.runbook;
  }

  append(events: readonly TrajectoryEvent[]): RunChange {
    const from = this.entries.list.length;
    for (const event of events) {
      this.events.push(event);
      this.countTurn(event);
    }
    const changed = this.entries.add(events);
    this.summary.add(events);
    const list = this.entries.list;
    for (let i = from; i < list.length; i++) this.countCommand(list[i]!, true);
    // A call that was waiting got its outcome (a new one already counted its own above).
    for (const entry of changed) if (entry.index < from) this.countCommand(entry, false);
    return { from, changed };
  }

  finish(status: EndStatus, error?: string, at = Date.now()): void {
    this.status = status;
    this.error = error;
    this.finishedAt = at;
  }

  /** Takes what the run's folder says about it (run.json, the results' report). */
  attach(record: RunRecord | undefined, report: EvaluationReport | undefined): void {
    if (record) {
      this.record = record;
      const recorded = Array.isArray(record.primary_files)
        ? record.primary_files.filter((f) => typeof f === 'string')
        : [];
      const folder = this.info.folder && path.join(this.info.folder, RESULTS_FOLDER);
      this.primary = recorded.length ? recorded : folder ? primaryFiles([], record.results ?? [], folder) : [];
      this.info = {
        ...this.info,
        agent: this.info.agent ?? record.agent,
        model: this.info.model ?? record.model,
        provider: record.provider || this.info.provider,
        sandbox: record.sandbox?.kind ?? this.info.sandbox,
      };
    }
    if (report) this.report = report;
  }

  /** Jetty's evaluation: run.json's `eval`, else the results' report. */
  get evaluation(): RunEval | undefined {
    return asRunEval(this.record?.eval) ?? (this.report ? evalOf(this.report) : undefined);
  }

  /** The files that came home, relative to results/. */
  get results(): string[] {
    return this.record?.results ?? [];
  }

  /** The main outputs: run.json's primary_files, else (a run saved before it had them) the first file written. */
  get primaryFiles(): string[] {
    return this.primary;
  }

  /** Where the results are, when the run has a folder. */
  get resultsFolder(): string | undefined {
    return this.info.folder && path.join(this.info.folder, RESULTS_FOLDER);
  }

  private countCommand(entry: Entry, isNew: boolean): void {
    const command = commandOf(entry);
    if (!command) return;
    if (isNew) this.commands.run++;
    if (command.succeeded === false) this.commands.failed++;
  }

  private countTurn(event: TrajectoryEvent): void {
    if (event.kind === 'usage') {
      if (!this.usageTurns) this.turns.length = 0;
      this.usageTurns = true;
      this.turns.push(turnOf(this.turns.length + 1, event.usage, true));
    } else if (
      !this.usageTurns &&
      (event.kind === 'text' ||
        event.kind === 'thinking' ||
        event.kind === 'tool-call' ||
        event.kind === 'command-started') &&
      event.turnUsage
    ) {
      this.turns.push(turnOf(this.turns.length + 1, event.turnUsage, false));
    }
  }
}

function turnOf(turn: number, usage: Usage, withOutput: boolean): TurnTokens {
  return {
    turn,
    input: usage.input,
    cacheRead: usage.cacheRead,
    cacheWrite: usage.cacheWrite,
    ...(withOutput ? { output: usage.output } : {}),
  };
}

export type LoadedRun = { ok: true; model: RunModel } | { ok: false; problem: string };

/**
 * A saved run from its folder (`.jetty/runs/<id>/`): run.json, trajectory.jsonl and the results' report. A folder
 * without a readable run.json is not a run; a run without a trajectory (it failed before the agent started) is one.
 * Never throws.
 */
export async function loadRun(
  folder: string,
  options: { id?: string; redact?: (text: string) => string } = {},
): Promise<LoadedRun> {
  const record = await readRunRecord(folder);
  if (!record) return { ok: false, problem: `${folder} has no readable run.json: it is not a Jetty run folder` };
  const model = new RunModel(options.id ?? path.basename(folder), runInfoOf(folder, record));
  const report = await readRunFolder(folder, record, {
    redact: options.redact,
    onEvents: (batch) => void model.append(batch),
  });
  model.attach(record, report);
  const end = endOf(record, options.redact);
  model.finish(end.status, end.error);
  return { ok: true, model };
}

/** What a saved run's model starts with. */
export function runInfoOf(folder: string, record: RunRecord): RunInfo & { startedAt: number } {
  return {
    runbook: record.runbook,
    agent: record.agent,
    model: record.model,
    provider: record.provider,
    sandbox: record.sandbox?.kind,
    source: 'file',
    folder,
    file: path.join(folder, TRAJECTORY_FILE),
    startedAt: Date.parse(record.startedAt) || 0,
  };
}

/** Reads a saved run's trajectory (batches to `onEvents`) and its results' report. Never throws. */
export async function readRunFolder(
  folder: string,
  record: RunRecord,
  options: { redact?: (text: string) => string; onEvents: (batch: TrajectoryEvent[]) => void | Promise<void> },
): Promise<EvaluationReport | undefined> {
  // No trajectory (the run failed before the agent started): the record alone says what happened.
  await readTrajectory(path.join(folder, TRAJECTORY_FILE), {
    formats: formatsOf(record.agent),
    transformLine: options.redact,
    onEvents: options.onEvents,
  });
  return readReport(folder);
}

/** The results' validation_report.json of a run folder, when it has a readable one. */
export async function readReport(folder: string): Promise<EvaluationReport | undefined> {
  const reading = await readEvaluationReport(path.join(folder, RESULTS_FOLDER));
  return reading.ok ? reading.report : undefined;
}

/** How a saved run ended, as its record says: a record still saying `running` never finished here. */
export function endOf(
  record: RunRecord,
  redact: (text: string) => string = (t) => t,
): {
  status: EndStatus;
  error?: string;
} {
  if (record.status === 'running') return { status: 'unfinished', error: UNFINISHED };
  const error = record.error && redact(`${record.error.message} ${record.error.nextStep}`);
  return error ? { status: record.status, error } : { status: record.status };
}

export const UNFINISHED =
  'This run did not finish here (it may still be running in another window or terminal). If it is not, and its sandbox is left over, "Jetty: Clean Up Sandboxes" deletes it.';

/** How long the run took: its record's clock (start to end, sandbox included) when it has one, so runs of any agent
 * compare alike; else the CLI's own figure; else, for a live run, its clock so far. */
export function durationOf(model: RunModel, now = Date.now()): number | undefined {
  const record = model.record;
  if (record?.finishedAt) {
    const ms = Date.parse(record.finishedAt) - Date.parse(record.startedAt);
    if (Number.isFinite(ms)) return Math.max(0, ms);
  }
  const cli = model.summary.summary.durationMs;
  if (cli !== undefined) return cli;
  if (model.info.source !== 'live') return undefined;
  return Math.max(0, (model.finishedAt ?? now) - model.info.startedAt);
}
