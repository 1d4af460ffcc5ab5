// Trajectories in VS Code, wired together: the "Jetty" output channel (output.ts), the "Jetty Trajectories" tree
// (trajectoryTree.ts), the documents its nodes open, "Open Trajectory Log…" and the commands on runs and nodes. It
// implements the core's `Trajectories` (src/core/trajectory/trajectories.ts): every run, live, opened or saved,
// arrives through startRun().
import path from 'node:path';
import * as vscode from 'vscode';
import { endOf, readReport, readRunFolder, runInfoOf } from '../core/run/model';
import { readRunRecord, type SavedRun } from '../core/run/runs';
import type { EndStatus, RunHandle, RunInfo, Trajectories } from '../core/trajectory/trajectories';
import { registerOpenTrajectoryLog } from './openTrajectoryLog';
import { OutputWriter } from './output';
import { registerTrajectoryCommands } from './trajectoryCommands';
import { documentUri, registerTrajectoryDocuments } from './trajectoryDocuments';
import { Run, TrajectoryTreeProvider, type TrajectoryNode } from './trajectoryTree';

/**
 * How many events of an opened log the output channel shows; then one line says how many more the tree holds. A log of
 * 100,000 lines would otherwise flood the channel (and the log file behind it) with a copy of a file the user already
 * has, while a live run's lines are the channel's whole point and are all written.
 */
export const OPENED_LOG_ECHO = 1000;

/** A run's handle in VS Code, which can also end a saved run as `unfinished`. */
export interface TreeRunHandle extends RunHandle {
  finish(status: EndStatus, error?: string): void;
}

/** What activate() exposes about trajectories (for the run command, the run view, tests and benchmarks). */
export interface TrajectoriesApi extends Trajectories {
  startRun(info: RunInfo): TreeRunHandle;
  /** Puts a saved run into the tree quietly (its events, record and report), unless it is there already; resolves to
   * the run in the tree either way. Its lines pass through `redact` (default: the redactor this was built with). */
  restoreRun(saved: SavedRun, redact?: (text: string) => string): Promise<Run>;
  /** The tree's data provider: read the tree as the view sees it. */
  readonly tree: TrajectoryTreeProvider;
  /** The view itself (reveal, visibility, selection). */
  readonly view: vscode.TreeView<TrajectoryNode>;
  /** The "Jetty" channel, for other features to log to. */
  readonly channel: vscode.LogOutputChannel;
  /** Fires with each block of text appended to the channel (already redacted). */
  readonly onDidAppendOutput: vscode.Event<string>;
  /** Fires, at most about ten times a second, with the runs whose events, status or record changed. */
  readonly onDidChangeRuns: vscode.Event<readonly Run[]>;
  /** Opens a saved trajectory as a finished run; resolves to its run id. Throws a readable Error if it cannot be read.
   * (The command jetty.openTrajectoryLog is the user's way in: it shows that error instead.) */
  openLog(uri: vscode.Uri): Promise<string>;
  /** Resolves when the tree has no refresh waiting and the output channel has no buffered lines. */
  idle(): Promise<void>;
  /** The read-only document a node opens (its run's log, or its own full text). */
  documentUri(node: TrajectoryNode): vscode.Uri;
}

/**
 * `keysLoaded`: settles once the redactor knows every stored key (the key store is read on demand, not at activation).
 * Secrets: a live run's events are redacted by its reader (transformLine) before they get here; an opened or saved log
 * is read with the same redactor; and every text leaving for the output channel, a document, the clipboard or an error
 * message passes through `redact` once more.
 */
export function registerTrajectories(
  context: vscode.ExtensionContext,
  redact: (text: string) => string = (t) => t,
  keysLoaded: () => PromiseLike<unknown> = () => Promise.resolve(),
): TrajectoriesApi {
  const channel = vscode.window.createOutputChannel('Jetty', { log: true });
  const output = new OutputWriter(channel, redact);
  const tree = new TrajectoryTreeProvider();
  const view = vscode.window.createTreeView('jetty.trajectories', {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: true,
  });
  let nextId = 0;

  function startRun(info: RunInfo): TreeRunHandle {
    const run = new Run(`run-${++nextId}`, { ...info, startedAt: info.startedAt ?? Date.now() });
    tree.add(run);
    if (!info.quiet)
      output.runStarted(
        `${run.title}${info.agent ? ` (${[info.agent, info.model].filter(Boolean).join(' · ')})` : ''}${info.source === 'file' ? ' — saved log' : ''}`,
      );
    let echo = info.quiet ? 0 : info.source === 'file' ? OPENED_LOG_ECHO : Infinity;
    return {
      id: run.id,
      append(events) {
        if (events.length === 0) return;
        const { from, changed } = run.append(events);
        if (echo > 0) {
          output.events(events.length <= echo ? events : events.slice(0, echo));
          echo -= Math.min(echo, events.length);
        }
        tree.changedRun(run, from, changed);
      },
      finish(status: EndStatus, error?: string) {
        if (run.status !== 'running') return;
        const clean = error === undefined ? undefined : redact(error);
        tree.finish(run, status, clean);
        // A live run's folder now holds its final run.json and the results' report: the run view shows them.
        if (info.source === 'live' && info.folder) void attachFolder(run, info.folder);
        if (info.quiet) return;
        const unshown = run.events.length - OPENED_LOG_ECHO;
        if (info.source === 'file' && unshown > 0) {
          output.write(
            'info',
            `… ${unshown} more events of ${run.title} are not shown here: the Jetty Trajectories view has them all`,
          );
        }
        output.runFinished(run.title, status, clean);
      },
    };
  }

  async function attachFolder(run: Run, folder: string): Promise<void> {
    const [record, report] = await Promise.all([readRunRecord(folder), readReport(folder)]);
    run.attach(record, report);
    tree.changedRun(run);
  }

  const inTree = (folder: string) => {
    const here = path.resolve(folder);
    return tree.runs.find((run) => run.info.folder !== undefined && path.resolve(run.info.folder) === here);
  };
  // One restore per folder at a time: two callers (the view's first showing, a run view after a reload) get the same.
  const restoring = new Map<string, Promise<Run>>();
  function restoreRun({ folder, record }: SavedRun, clean = redact): Promise<Run> {
    const key = path.resolve(folder);
    const existing = inTree(folder);
    if (existing) return Promise.resolve(existing);
    let pending = restoring.get(key);
    if (pending) return pending;
    pending = (async () => {
      // Checked right before adding, with no await between: a live run is in the tree before its run.json exists.
      const handle = startRun({ ...runInfoOf(folder, record), quiet: true });
      const run = tree.find(handle.id)!;
      const report = await readRunFolder(folder, record, { redact: clean, onEvents: (batch) => handle.append(batch) });
      run.attach(record, report);
      const end = endOf(record, clean);
      handle.finish(end.status, end.error);
      return run;
    })().finally(() => restoring.delete(key));
    restoring.set(key, pending);
    return pending;
  }

  const documents = registerTrajectoryDocuments(context, tree, view, redact);
  const showOutput = () => {
    output.flush();
    channel.show(true);
  };
  registerTrajectoryCommands(context, { tree, view, documents, showOutput });
  const openLog = registerOpenTrajectoryLog(context, { startRun, tree, view, output, redact, keysLoaded });

  // Owns the channel: see output.ts for why it closes it itself.
  context.subscriptions.push(output, tree, view);

  return {
    startRun,
    restoreRun,
    tree,
    view,
    channel,
    onDidAppendOutput: output.onDidAppend,
    onDidChangeRuns: tree.onDidRefresh,
    openLog,
    documentUri,
    async idle() {
      await tree.idle();
      await output.drained();
    },
  };
}
