// What the comparison shows for two or more runs (a matrix, or any runs picked in the tree), as plain data: a column per
// run, its header figures side by side with the best value of each row marked, the commands each ran aligned so the
// same command of two runs stands on one row, and the result files each has. The comparison panel and
// `jetty-runbook compare` both print this; it is unit-tested on its own.
import { describeEval } from '../run/evaluation';
import type { RunModel } from '../run/model';
import { commandOf } from '../trajectory/commands';
import { runFigures, type FigureKey } from './runPage';

export interface ComparisonColumn {
  /** The run's id (the tree's, or its folder's name). */
  id: string;
  runbook: string;
  agent?: string;
  model?: string;
  provider?: string;
  status: string;
  /** The run folder, when it has one (for opening files and diffs). */
  folder?: string;
}

export interface ComparisonCell {
  text: string;
  value?: number;
  /** The best of its row (several when tied); never marked when every run has the same value or only one has any. */
  best: boolean;
}

export interface ComparisonRow {
  key: FigureKey | 'evaluation' | 'pass' | 'partial' | 'fail';
  label: string;
  better?: 'lower' | 'higher';
  cells: ComparisonCell[];
}

export interface AlignedCommand {
  /** The command as the first run that has it wrote it. */
  command: string;
  /** Per column: its exit code there (null: none given, undefined: still running, or `stopped` with its run), or null
   * when it did not run it. */
  cells: ({ index: number; exitCode: number | null | undefined; stopped?: true } | null)[];
}

export interface ResultRow {
  /** Relative to results/. */
  file: string;
  present: boolean[];
}

export interface Comparison {
  columns: ComparisonColumn[];
  rows: ComparisonRow[];
  commands: AlignedCommand[];
  /** Commands past MAX_ALIGNED per run, not aligned (their counts per column). */
  commandsLeftOut: number[];
  files: ResultRow[];
}

/** Commands per run the alignment takes: it costs their product, and a reader scrolls no further. */
export const MAX_ALIGNED = 1000;

/** Which way is better, per figure: a figure without one (commands run) is shown, never marked. Among runs that
 * succeeded only. */
const BETTER: Partial<Record<FigureKey, 'lower' | 'higher'>> = {
  duration: 'lower',
  turns: 'lower',
  tokensIn: 'lower',
  tokensOut: 'lower',
  cost: 'lower',
  failedCommands: 'lower',
};

export function compareRuns(models: readonly RunModel[], now = Date.now()): Comparison {
  const columns = models.map((m): ComparisonColumn => ({
    id: m.id,
    runbook: m.title,
    ...(m.info.agent ? { agent: m.info.agent } : {}),
    ...((m.info.model ?? m.summary.summary.model) ? { model: m.info.model ?? m.summary.summary.model } : {}),
    ...(m.record?.provider || m.info.provider ? { provider: m.record?.provider || m.info.provider } : {}),
    status: m.status === 'unfinished' ? 'did not finish here' : m.status,
    ...(m.info.folder ? { folder: m.info.folder } : {}),
  }));

  const figures = models.map((m) => runFigures(m, now));
  const rows: ComparisonRow[] = [];
  const evals = models.map((m) => m.evaluation);
  if (evals.some(Boolean)) {
    rows.push(
      marked(
        'evaluation',
        'Evaluation',
        'higher',
        evals.map((e) => (e ? { text: describeEval(e), value: e.overall_passed ? 1 : 0 } : { text: '–' })),
      ),
      marked(
        'pass',
        'Pass',
        'higher',
        evals.map((e) => (e ? { text: String(e.pass), value: e.pass } : { text: '–' })),
      ),
      marked(
        'partial',
        'Partial',
        'lower',
        evals.map((e) => (e ? { text: String(e.partial), value: e.partial } : { text: '–' })),
      ),
      marked(
        'fail',
        'Fail',
        'lower',
        evals.map((e) => (e ? { text: String(e.fail), value: e.fail } : { text: '–' })),
      ),
    );
  }
  // A run that failed or was stopped is not the fastest or cheapest of them: only runs that succeeded compete.
  const competes = models.map((m) => m.status === 'succeeded');
  for (const [i, first] of (figures[0] ?? []).entries()) {
    rows.push(
      marked(
        first.key,
        first.label,
        BETTER[first.key],
        figures.map((f) => ({ text: f[i]!.text, ...(f[i]!.value !== undefined ? { value: f[i]!.value } : {}) })),
        competes,
      ),
    );
  }

  const commandLists = models.map((m) => {
    const list: { index: number; command: string; exitCode: number | null | undefined }[] = [];
    for (const entry of m.entries.list) {
      const c = commandOf(entry);
      if (c) list.push({ index: c.index, command: c.command, exitCode: c.exitCode });
    }
    return list;
  });
  const taken = commandLists.map((list) => list.slice(0, MAX_ALIGNED));
  const aligned = alignSequences(taken.map((list) => list.map((c) => normalise(c.command))));
  const commands = aligned.map((row): AlignedCommand => {
    const first = row.findIndex((i) => i !== undefined);
    return {
      command: taken[first]![row[first]!]!.command,
      cells: row.map((i, column) => {
        if (i === undefined) return null;
        const c = taken[column]![i]!;
        const stopped = c.exitCode === undefined && models[column]!.status !== 'running';
        return { index: c.index, exitCode: c.exitCode, ...(stopped ? { stopped: true as const } : {}) };
      }),
    };
  });

  const allFiles = [...new Set(models.flatMap((m) => m.results))].sort();
  const files = allFiles.map((file) => ({ file, present: models.map((m) => m.results.includes(file)) }));

  return {
    columns,
    rows,
    commands,
    commandsLeftOut: commandLists.map((list) => Math.max(0, list.length - MAX_ALIGNED)),
    files,
  };
}

function marked(
  key: ComparisonRow['key'],
  label: string,
  better: 'lower' | 'higher' | undefined,
  cells: { text: string; value?: number }[],
  competes: readonly boolean[] = cells.map(() => true),
): ComparisonRow {
  const values = cells.map((c, i) => (competes[i] ? c.value : undefined)).filter((v): v is number => v !== undefined);
  const best =
    better && values.length >= 2 && new Set(values).size > 1
      ? better === 'lower'
        ? Math.min(...values)
        : Math.max(...values)
      : undefined;
  return {
    key,
    label,
    ...(better ? { better } : {}),
    cells: cells.map((c, i) => ({ ...c, best: best !== undefined && competes[i] === true && c.value === best })),
  };
}

/** Commands match when they read the same once whitespace is evened out. */
function normalise(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

/**
 * Lines up N sequences so equal items stand on one row, keeping each sequence's order: the first sequence gives the
 * rows, each next one is aligned to them by a longest common subsequence, and what it has that they do not becomes new
 * rows where it falls. Each row gives, per sequence, the index of its item there (undefined where it has none).
 */
export function alignSequences(sequences: readonly (readonly string[])[]): (number | undefined)[][] {
  const rows: { key: string; cells: (number | undefined)[] }[] = [];
  const width = sequences.length;
  sequences.forEach((sequence, column) => {
    const keys = rows.map((r) => r.key);
    const pairs = lcs(keys, sequence);
    const merged: typeof rows = [];
    let r = 0;
    let s = 0;
    for (const [pr, ps] of [...pairs, [keys.length, sequence.length] as const]) {
      // Between two matches: the rows first, then the sequence's own items, so each keeps its order.
      while (r < pr) merged.push(rows[r++]!);
      while (s < ps) merged.push({ key: sequence[s]!, cells: cell(width, column, s++) });
      if (pr < keys.length) {
        rows[pr]!.cells[column] = ps;
        merged.push(rows[pr]!);
        r++;
        s++;
      }
    }
    rows.splice(0, rows.length, ...merged);
  });
  return rows.map((r) => r.cells);
}

function cell(width: number, column: number, index: number): (number | undefined)[] {
  const cells = new Array<number | undefined>(width).fill(undefined);
  cells[column] = index;
  return cells;
}

/** The index pairs of a longest common subsequence of a and b, in order. */
function lcs(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[at(i, j)] =
        a[i] === b[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) {
      pairs.push([i++, j++]);
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) i++;
    else j++;
  }
  return pairs;
}
