// "A run's events arrive here": the one small interface between whatever produces a run's events (the run command
// streaming a sandbox's stdout, "Open Trajectory Log…" reading a file) and whatever shows them (the tree, the output
// channel), so neither side knows the other.
import type { TrajectoryEvent } from './events';

export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'timed out'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type FinishedStatus = Exclude<RunStatus, 'running'>;
/** How a run in the tree ended: a finished status, or `unfinished` for a saved run whose record still says running:
 * it did not finish here, and may still be running in another window or terminal. Never written to run.json. */
export type EndStatus = FinishedStatus | 'unfinished';

export interface RunInfo {
  /** The runbook's name as the user knows it (file name without `.md`, or the log file's name). */
  runbook: string;
  /** claude-code, codex… (may be unknown for an opened log until its format is detected). */
  agent?: string;
  model?: string;
  /** The provider the run went to (which may not be the one the runbook declared). */
  provider?: string;
  /** Where it ran. */
  sandbox?: 'daytona' | 'local';
  /** `live`: a run in progress; `file`: a saved log opened by the user. */
  source: 'live' | 'file';
  /** Where the run's files are (results, trajectory.jsonl), for "Open Run Folder". */
  folder?: string;
  /** The trajectory file shown, for an opened log. */
  file?: string;
  /** Epoch milliseconds; default now. */
  startedAt?: number;
  /** Shown in the tree only, not echoed to the output channel (a saved run put back at start-up). */
  quiet?: boolean;
}

export interface RunHandle {
  readonly id: string;
  /** Events in the order the reader produced them. Cheap: the view refreshes at most ~10 times a second. */
  append(events: readonly TrajectoryEvent[]): void;
  /** Ends the run. `error` is a human sentence (already redacted) shown on the run node and in the output. */
  finish(status: FinishedStatus, error?: string): void;
}

/**
 * Producers call startRun() once, append() batches as they are parsed, and finish() exactly once.
 *
 *   const run = trajectories.startRun({
 *     runbook: 'fix-tests', agent: 'claude-code', model: 'claude-sonnet-4-6', source: 'live',
 *   });
 *   const reader = createTrajectoryReader({ transformLine: redact, onEvents: (batch) => run.append(batch) });
 *   …; reader.end(); run.finish('succeeded');
 */
export interface Trajectories {
  startRun(info: RunInfo): RunHandle;
}

/** The status a finished log reports by itself: from its result, else failed when it ends without one. */
export function statusOfLog(summary: { status: 'succeeded' | 'failed' | 'incomplete'; error?: string }): {
  status: FinishedStatus;
  error?: string;
} {
  if (summary.status === 'succeeded') return { status: 'succeeded' };
  if (summary.status === 'failed') return { status: 'failed', error: summary.error };
  return { status: 'failed', error: summary.error ?? "the log ends before the agent's result" };
}
