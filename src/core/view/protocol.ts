// The messages between the extension and its webviews (the run view, the comparison), and the state a webview keeps
// across hiding and reloads. Plain JSON both ways; the webview scripts (src/webview/) and the adapters (src/vscode/)
// share these types, so a message one side sends is one the other side reads.
import type { AlignedCommand, Comparison } from './comparison';
import type { ResultsView, RowKind, RunHeader, TimelineRow, TurnChart } from './runPage';

/** How a result file is shown in the run view (built by the extension: it reads the file, the webview cannot). */
export type Preview =
  | { file: string; kind: 'markdown'; html: string }
  | { file: string; kind: 'image'; src: string }
  | { file: string; kind: 'json' | 'text'; text: string; truncated: boolean }
  | { file: string; kind: 'open' };

/** Extension → run view. */
export type RunViewMessage =
  /** Everything but the rows, which follow (from 0) in `rows` messages. Sent on every (re)load. */
  | {
      type: 'run';
      header: RunHeader;
      chart: TurnChart;
      results: ResultsView;
      /** Kept in the view's state, to find the run again after a reload. */
      folder?: string;
      file?: string;
    }
  | { type: 'header'; header: RunHeader; chart: TurnChart }
  | { type: 'results'; results: ResultsView; previews: Preview[] }
  /** New rows (packed: packRow), in order. */
  | { type: 'rows'; rows: PackedRow[] }
  /** Rows already sent that changed (a command's outcome arrived). */
  | { type: 'update'; rows: PackedRow[] }
  | { type: 'detail'; index: number; text: string };

/** Run view → extension. */
export type RunViewRequest =
  | { type: 'ready' }
  | { type: 'detail'; index: number }
  /** Opens a result file (relative to results/) in the editor. */
  | { type: 'open-file'; file: string }
  | { type: 'open-folder' }
  /** Its place in the Jetty Trajectories tree and the raw log line. */
  | { type: 'open-event'; index: number };

/** Kept by the run view with setState(): where the reader was, so a hidden or reloaded panel comes back as it was. */
export interface RunViewState {
  /** Finds the run again after a reload: its folder, else the log file opened. */
  folder?: string;
  file?: string;
  title?: string;
  query?: string;
  /** Row kinds switched off in the filter. */
  hidden?: string[];
  expanded?: number[];
  scrollTop?: number;
}

/** Extension → comparison. */
export type ComparisonMessage = { type: 'comparison'; comparison: Comparison };

/** Comparison → extension. */
export type ComparisonRequest =
  | { type: 'ready' }
  /** VS Code's diff editor between two runs' copies of a result file. */
  | { type: 'diff'; file: string; left: number; right: number }
  | { type: 'open-file'; file: string; column: number }
  | { type: 'open-run'; column: number };

export interface ComparisonState {
  /** The runs' folders (a comparison of runs that have none cannot come back after a reload). */
  folders: string[];
}

/**
 * A timeline row as it travels: its fields in a fixed order, without their names, which would be half of 100,000 rows'
 * bytes (every byte is serialised in the extension host and parsed in the page).
 */
export type PackedRow = [
  index: number,
  kind: RowKind,
  icon: string,
  tone: TimelineRow['tone'] | 0,
  label: string,
  exit: string | 0,
  preview: string | 0,
  folded: 0 | 1,
  line: number,
];

export function packRow(r: TimelineRow): PackedRow {
  return [r.index, r.kind, r.icon, r.tone ?? 0, r.label, r.exit ?? 0, r.preview ?? 0, r.folded ? 1 : 0, r.line];
}

/** How an aligned command's cell reads, on the page and in `jetty-runbook compare`: `exit 0`, `running`, `stopped` (its run ended first), `no exit code`, `—`. */
export function commandCell(cell: AlignedCommand['cells'][number]): string {
  if (!cell) return '—';
  if (cell.stopped) return 'stopped';
  if (cell.exitCode === undefined) return 'running';
  return cell.exitCode === null ? 'no exit code' : `exit ${cell.exitCode}`;
}
