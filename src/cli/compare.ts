// `jetty-runbook compare <run folder> <run folder>… [--format text|json]`: the comparison panel's table in a terminal,
// for runs saved under .jetty/runs/ (a matrix run's, or any): a column per run, the header figures with the best of
// each row marked `*`, the commands each ran aligned with their exit codes, and the result files each has.
import path from 'node:path';
import { redactorFromEnv } from '../core/redact';
import { loadRun, type RunModel } from '../core/run/model';
import { clip } from '../core/text';
import { compareRuns, type Comparison } from '../core/view/comparison';
import { commandCell } from '../core/view/protocol';
import { UsageError, readCommandLine, usageFailed, type Subcommand } from './common';

const USAGE = `usage: jetty-runbook compare <run folder> <run folder>… [options]
  Compares saved runs (.jetty/runs/<run>/): their figures side by side (* marks the best of a row), the commands each
  ran, aligned, with their exit codes, and the result files each has.
options:
  --format text|json        text (default): tables; json: the comparison as one JSON object
exit status: 0 compared, 2 bad usage or a folder that is not a run
`;

const CELL = 44;

const compare: Subcommand = async (args) => {
  const line = readCommandLine('compare', USAGE, args, { format: { type: 'string', default: 'text' } });
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  if (values.format !== 'text' && values.format !== 'json')
    return usageFailed('compare', USAGE, new UsageError(`--format is text or json, not "${values.format}"`));
  if (positionals.length < 2)
    return usageFailed(
      'compare',
      USAGE,
      new UsageError(
        positionals.length ? 'compare needs two or more runs' : 'which runs? Give two or more run folders',
      ),
    );
  // Keys found in the environment are redacted from what is printed.
  const redact = redactorFromEnv(process.env).redact;
  const models: RunModel[] = [];
  for (const folder of positionals) {
    const loaded = await loadRun(path.resolve(folder), { redact });
    if (!loaded.ok) {
      process.stderr.write(`jetty-runbook compare: ${folder} is not a run folder (it has no readable run.json)\n`);
      return 2;
    }
    models.push(loaded.model);
  }
  const comparison = compareRuns(models);
  const text = values.format === 'json' ? JSON.stringify(comparison, null, 2) + '\n' : table(comparison);
  process.stdout.write(redact(text));
  return 0;
};

export default compare;

/** The comparison as aligned text tables. */
export function table(c: Comparison): string {
  const head = ['', ...c.columns.map((col) => (col.folder ? path.basename(col.folder) : col.id))];
  const rows: string[][] = [
    ['agent · model', ...c.columns.map((col) => [col.agent, col.model].filter(Boolean).join(' · ') || '–')],
    ['provider', ...c.columns.map((col) => col.provider ?? '–')],
    ['status', ...c.columns.map((col) => col.status)],
    ...c.rows.map((row) => [row.label, ...row.cells.map((cell) => (cell.best ? `${cell.text} *` : cell.text))]),
  ];
  const out = [grid([head, ...rows])];
  out.push('', 'Commands');
  if (c.commands.length === 0) out.push('  (no run ran a shell command)');
  else
    out.push(grid(c.commands.map((row) => [`  ${row.command.replace(/\s+/g, ' ')}`, ...row.cells.map(commandCell)])));
  if (c.commandsLeftOut.some((n) => n > 0))
    out.push(`  (only the first commands are aligned: ${c.commandsLeftOut.join(', ')} more left out)`);
  out.push('', 'Result files');
  if (c.files.length === 0) out.push('  (no run has result files)');
  else out.push(grid(c.files.map((row) => [`  ${row.file}`, ...row.present.map((p) => (p ? 'yes' : '—'))])));
  out.push('', '* the best of its row');
  return out.join('\n') + '\n';
}

/** Rows of cells as columns padded to their widest cell (each cut at CELL characters). */
function grid(rows: string[][]): string {
  const cells = rows.map((row) => row.map((cell) => clip(cell, CELL)));
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
