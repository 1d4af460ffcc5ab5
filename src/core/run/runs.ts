// What stays of a run: its folder `.jetty/runs/<runbook>-<timestamp>/` in the workspace (or the CLI's current folder),
// holding `results/` (the files the agent wrote to {{results_dir}}), `trajectory.jsonl` (the agent's raw stdout, line
// by line, redacted) and `run.json` (what ran, where, when and how it ended: RunRecord), so a run can be read, opened
// and compared after it ends. Plain node; everything written here has already passed through the run's redactor.
import fs from 'node:fs';
import path from 'node:path';
import type { Usage } from '../trajectory/events';
import type { RunEval } from './evaluation';
import { RUN_STATUSES, type RunStatus } from '../trajectory/trajectories';
import { slug } from '../text';
import type { DroppedResult } from './results';

export const RUNS_FOLDER = path.join('.jetty', 'runs');
export const RECORD_FILE = 'run.json';
export const TRAJECTORY_FILE = 'trajectory.jsonl';
export const RESULTS_FOLDER = 'results';

/** run.json. Times are ISO 8601; `version` changes only when a field changes meaning. */
export interface RunRecord {
  version: 1;
  /** The folder's name; also the sandbox's `jetty-run` label. */
  id: string;
  runbook: string;
  /** The runbook file, relative to the folder that holds `.jetty/` when it is inside it. */
  runbookFile?: string;
  agent: string;
  agentVersion: string;
  /** The model and provider the run used; when Jetty's choice moved it to another provider, what the runbook asked. */
  model: string;
  provider: string;
  requestedProvider?: string;
  requestedModel?: string;
  /** Why it runs elsewhere, in a sentence ("OpenRouter has no key here: running on Anthropic as …"). */
  providerNote?: string;
  /** The run parameters given, and those the body uses that got none (left as `{{name}}`, as on Jetty). */
  parameters?: Record<string, string>;
  unfilled?: string[];
  /** The input files uploaded into {{assets_dir}}, by name. */
  inputFiles?: string[];
  sandbox: { kind: 'daytona' | 'local'; id?: string; snapshot?: string; image?: string };
  startedAt: string;
  finishedAt?: string;
  /** `running` in a saved record means the run never finished (the editor or the CLI stopped while it ran). */
  status: RunStatus;
  /** The agent's exit code, when it got that far. */
  exitCode?: number;
  error?: { message: string; nextStep: string };
  usage: Usage;
  costUsd?: number;
  turns: number;
  /** Files in results/, relative, '/'-separated. */
  results: string[];
  /** Jetty's evaluation, from the agent's validation_report.json (Jetty's field names). */
  eval?: RunEval;
  /** Files the runbook's REQUIRED OUTPUT FILES section lists that did not come home. */
  missingOutputs?: string[];
  /** The main outputs, most important first (Jetty's own field name and meaning: see outputs.ts). */
  primary_files?: string[];
  /** What the download left out of results/, and why (results.ts: links, version control, over a limit…). */
  dropped?: DroppedResult[];
  /** Files in results/ that hold a key or secret of the run (reported, not rewritten). */
  secretsInResults?: string[];
}

/** A run folder being written. */
export class RunFolder {
  readonly trajectoryFile: string;
  readonly resultsFolder: string;
  private readonly trajectory: fs.WriteStream;
  private writeError: Error | undefined;

  private constructor(
    readonly id: string,
    readonly folder: string,
  ) {
    this.trajectoryFile = path.join(folder, TRAJECTORY_FILE);
    this.resultsFolder = path.join(folder, RESULTS_FOLDER);
    this.trajectory = fs.createWriteStream(this.trajectoryFile, { flags: 'a' });
    this.trajectory.on('error', (error) => (this.writeError ??= error));
  }

  /** Creates `<root>/<runbook>-<yyyymmdd-hhmmss>` (with `-2`, `-3`… when two runs start in the same second). */
  static async create(root: string, runbook: string, startedAt: Date): Promise<RunFolder> {
    await fs.promises.mkdir(root, { recursive: true });
    // What runs bring home is the agents' data: kept out of the workspace's own repository (its status, its commits).
    if (path.basename(path.dirname(root)) === '.jetty')
      await fs.promises
        .writeFile(path.join(path.dirname(root), '.gitignore'), '*\n', { flag: 'wx' })
        .catch(() => undefined);
    // At most 40 characters of the runbook's name: the folder's name (name-yyyymmdd-hhmmss-n) is a Daytona label too.
    const base = `${slug(runbook, 40)}-${timestamp(startedAt)}`;
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      try {
        await fs.promises.mkdir(path.join(root, id));
        return new RunFolder(id, path.join(root, id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw error;
      }
    }
  }

  /** One line of the trajectory (already redacted). */
  appendLine(line: string): void {
    this.trajectory.write(`${line}\n`);
  }

  /**
   * Replaces run.json (through a temporary file, so a reader never sees half of it). It is written when the run starts
   * and again when it ends, so a run cut short by a crash still says what it was.
   */
  async writeRecord(record: RunRecord): Promise<void> {
    const target = path.join(this.folder, RECORD_FILE);
    const temporary = `${target}.${process.pid}.tmp`;
    await fs.promises.writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
    await fs.promises.rename(temporary, target);
  }

  /** Flushes and closes trajectory.jsonl (its file handle too: 'finish' comes before that); rejects with the first write error, if any. */
  async close(): Promise<void> {
    if (!this.trajectory.closed) await new Promise<void>((resolve) => this.trajectory.once('close', resolve).end());
    if (this.writeError) throw this.writeError;
  }
}

export interface SavedRun {
  folder: string;
  record: RunRecord;
}

/**
 * The runs saved under `root` (a `.jetty/runs` folder), newest first, at most `limit`, for the tree after a reload.
 * Unreadable folders are skipped.
 */
export async function loadRuns(root: string, limit = 50): Promise<SavedRun[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return [];
  }
  const runs: SavedRun[] = [];
  for (const name of names) {
    const folder = path.join(root, name);
    const record = await readRunRecord(folder);
    if (record) runs.push({ folder, record });
  }
  return runs.sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt)).slice(0, limit);
}

/** A run folder's run.json; undefined when there is none or it is not a run record. */
export async function readRunRecord(folder: string): Promise<RunRecord | undefined> {
  try {
    return asRecord(JSON.parse(await fs.promises.readFile(path.join(folder, RECORD_FILE), 'utf8')));
  } catch {
    // not a run folder, or a run.json someone edited into something else
    return undefined;
  }
}

function asRecord(value: unknown): RunRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as Partial<RunRecord>;
  const ok =
    r.version === 1 &&
    typeof r.id === 'string' &&
    typeof r.runbook === 'string' &&
    typeof r.agent === 'string' &&
    typeof r.startedAt === 'string' &&
    (RUN_STATUSES as readonly unknown[]).includes(r.status);
  return ok ? (r as RunRecord) : undefined;
}

/** A runbook's name from its file: `fix-tests.runbook.md` and `fix-tests.md` are both "fix-tests". */
export function runbookName(file: string): string {
  return path.basename(file).replace(/(\.runbook)?\.md$/i, '') || path.basename(file);
}

/** Local time, sortable: 20260102-030405. */
function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
