// Trajectories in VS Code: the "Jetty" output channel, the "Jetty Trajectories" tree, the read-only documents its nodes
// open (URI scheme `jetty-trajectory`), "Open Trajectory Log…", and the commands on runs and nodes. It implements the
// core's `Trajectories` interface (src/core/trajectory/run.ts): the run command calls startRun() and feeds the events it
// parses; an opened log goes through exactly the same path.
//
// An opened log is echoed to the output channel up to OPENED_LOG_ECHO events, then one line says how many more the tree
// holds: a log of 100,000 lines would otherwise flood the channel (and the log file behind it) with a copy of a file the
// user already has, while a live run's lines are the channel's whole point and are all written.
//
// Secrets: a live run's events are redacted by its reader (transformLine) before they get here; an opened log is read
// with the same redactor; and every text leaving for the output channel, a document, the clipboard or an error message
// passes through `redact` once more.
import { createReadStream } from 'node:fs';
import * as vscode from 'vscode';
import { createTrajectoryReader } from '../core/trajectory/reader';
import { formatEvent, fullText } from '../core/trajectory/format';
import { statusOfLog, type EndStatus, type RunHandle, type RunInfo, type Trajectories } from '../core/trajectory/run';
import { OutputWriter } from './output';
import { Run, TrajectoryTreeProvider, type TrajectoryNode } from './trajectoryTree';
import { TRAJECTORY_FORMATS } from '../core/agents';

const TRAJECTORY_SCHEME = 'jetty-trajectory';
/** How many events of an opened log the output channel shows. */
export const OPENED_LOG_ECHO = 1000;
/** A run's open documents are re-rendered at most this often: the whole run's document is rebuilt each time. */
const DOCUMENT_REFRESH_MS = 1000;

/** A run's handle in VS Code, which can also end a saved run as `unfinished`. */
export interface TreeRunHandle extends RunHandle {
  finish(status: EndStatus, error?: string): void;
}

/** What activate() exposes about trajectories (for the run command, tests and benchmarks). */
export interface TrajectoriesApi extends Trajectories {
  startRun(info: RunInfo): TreeRunHandle;
  /** The tree's data provider: read the tree as the view sees it. */
  readonly tree: TrajectoryTreeProvider;
  /** The view itself (reveal, visibility). */
  readonly view: vscode.TreeView<TrajectoryNode>;
  /** The "Jetty" channel, for other features to log to. */
  readonly channel: vscode.LogOutputChannel;
  /** Fires with each block of text appended to the channel (already redacted). */
  readonly onDidAppendOutput: vscode.Event<string>;
  /** Opens a saved trajectory as a finished run; resolves to its run id. Throws a readable Error if it cannot be read.
   * (The command jetty.openTrajectoryLog is the user's way in: it shows that error instead.) */
  openLog(uri: vscode.Uri): Promise<string>;
  /** Resolves when the tree has no refresh waiting and the output channel has no buffered lines. */
  idle(): Promise<void>;
}

/** Saved logs named after what they are, not after the run: label them with their folder too. */
const GENERIC_NAMES = new Set(['trajectory', 'claude-code', 'codex', 'stdout', 'output', 'log', 'events']);

/** `keysLoaded`: settles once the redactor knows every stored key (the key store is read on demand, not at activation). */
export function registerTrajectories(
  context: vscode.ExtensionContext,
  redact: (text: string) => string = (t) => t,
  keysLoaded: () => PromiseLike<unknown> = () => Promise.resolve(),
): TrajectoriesApi {
  const channel = vscode.window.createOutputChannel('Jetty', { log: true });
  const output = new OutputWriter(channel, redact);
  const tree = new TrajectoryTreeProvider(nodeUri);
  const view = vscode.window.createTreeView('jetty.trajectories', { treeDataProvider: tree, showCollapseAll: true });
  const documentChanged = new vscode.EventEmitter<vscode.Uri>();
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
        const from = run.entries.list.length;
        // A loop, not push(...events): a batch of 100,000 spread as arguments overflows the stack.
        for (const event of events) run.events.push(event);
        const changed = run.entries.add(events);
        run.summary.add(events);
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

  async function openLog(uri: vscode.Uri): Promise<string> {
    // A log from elsewhere may hold a key this window has stored: its lines are shown only once the redactor knows them.
    await keysLoaded();
    const fileName = uri.path.split('/').pop() || uri.path;
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch (error) {
      throw new Error(`cannot open ${fileName}: ${reason(error)}`, { cause: error });
    }
    if (stat.type & vscode.FileType.Directory) throw new Error(`${fileName} is a folder, not a trajectory log`);
    const handle = startRun({
      runbook: logTitle(uri),
      source: 'file',
      file: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
    });
    const run = tree.find(handle.id)!;
    const reader = createTrajectoryReader({
      formats: TRAJECTORY_FORMATS,
      transformLine: redact,
      onEvents: (batch) => handle.append(batch),
      onFormat: (format) => {
        if (format !== 'unknown') run.info = { ...run.info, agent: format };
      },
    });
    try {
      if (uri.scheme === 'file') {
        // Streamed: a log of any size opens in bounded memory besides the events themselves, and the extension host
        // gets the event loop back between chunks.
        for await (const chunk of createReadStream(uri.fsPath, { highWaterMark: 256 * 1024 }))
          reader.push(chunk as Buffer);
      } else {
        reader.push(await vscode.workspace.fs.readFile(uri));
      }
      reader.end();
    } catch (error) {
      reader.end();
      handle.finish('failed', `could not read all of ${fileName}: ${reason(error)}`);
      return handle.id;
    }
    const { status, error } = statusOfLog(run.summary.summary);
    handle.finish(status, error);
    if (view.visible) {
      await Promise.resolve(view.reveal(run, { select: false, focus: false, expand: true })).catch(() => undefined);
    }
    return handle.id;
  }

  function nodeUri(node: TrajectoryNode): vscode.Uri {
    if (node instanceof Run)
      return vscode.Uri.from({ scheme: TRAJECTORY_SCHEME, path: `/${node.id}/${slug(node.title)}.log` });
    if (node.type === 'page') return nodeUri(node.run);
    return vscode.Uri.from({
      scheme: TRAJECTORY_SCHEME,
      path: `/${node.run.id}/${node.entry.index + 1}-${node.entry.event.kind}.log`,
    });
  }

  function contentOf(node: TrajectoryNode): string {
    if (node instanceof Run || node.type === 'page') {
      const run = node instanceof Run ? node : node.run;
      const lines = [`# ${run.title} — ${run.status}${run.error ? `: ${run.error}` : ''}`];
      if (run.info.file) lines.push(`# ${run.info.file}`);
      for (const event of run.events) lines.push(...formatEvent(event, { maxOutput: Infinity }));
      return redact(lines.join('\n') + '\n');
    }
    return redact(fullText(node.entry.event, node.entry.outcome));
  }

  function nodeOf(uri: vscode.Uri): TrajectoryNode | undefined {
    const [, runId, leaf] = uri.path.split('/');
    const run = runId ? tree.find(runId) : undefined;
    if (!run || !leaf) return run;
    const index = /^(\d+)-/.exec(leaf)?.[1];
    if (index === undefined) return run;
    const entry = run.entries.list[Number(index) - 1];
    return entry ? { type: 'entry', run, entry } : undefined;
  }

  const selected = (node: unknown): TrajectoryNode | undefined =>
    (node as TrajectoryNode | undefined) ?? view.selection[0];
  const showError = (error: unknown) => {
    const message = `Jetty: ${redact(reason(error))}`;
    output.write('error', message);
    void vscode.window.showErrorMessage(message);
  };
  const showOutput = () => {
    output.flush();
    channel.show(true);
  };

  // A live run's open documents follow it: re-rendered when its tree refreshes, at most every DOCUMENT_REFRESH_MS.
  const staleRuns = new Set<string>();
  let documentTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshDocuments = () => {
    documentTimer = undefined;
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === TRAJECTORY_SCHEME && staleRuns.has(document.uri.path.split('/')[1] ?? ''))
        documentChanged.fire(document.uri);
    }
    staleRuns.clear();
  };

  context.subscriptions.push(
    // Owns the channel: see output.ts for why it closes it itself.
    output,
    tree,
    view,
    documentChanged,
    tree.onDidRefresh((runs) => {
      for (const run of runs) staleRuns.add(run.id);
      if (staleRuns.size) documentTimer ??= setTimeout(refreshDocuments, DOCUMENT_REFRESH_MS);
    }),
    { dispose: () => clearTimeout(documentTimer) },
    vscode.workspace.registerTextDocumentContentProvider(TRAJECTORY_SCHEME, {
      onDidChange: documentChanged.event,
      provideTextDocumentContent: (uri) => {
        const node = nodeOf(uri);
        return node ? contentOf(node) : 'This run is no longer in the Jetty Trajectories view.\n';
      },
    }),
    vscode.commands.registerCommand('jetty.trajectory.open', async (node?: TrajectoryNode) => {
      const target = selected(node);
      if (!target) return;
      const uri = nodeUri(target);
      documentChanged.fire(uri); // a live run's document shows its latest state
      await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
    }),
    vscode.commands.registerCommand('jetty.trajectory.copy', async (node?: TrajectoryNode) => {
      const target = selected(node);
      if (target) await vscode.env.clipboard.writeText(contentOf(target));
    }),
    // An output channel cannot be scrolled to a line, so the menu item says "Show Output": that is all it does.
    vscode.commands.registerCommand('jetty.trajectory.revealInOutput', showOutput),
    vscode.commands.registerCommand('jetty.trajectory.removeRun', (node?: TrajectoryNode) => {
      const target = selected(node);
      const run = target instanceof Run ? target : target?.run;
      if (!run) return;
      if (run.status === 'running') {
        void vscode.window.showInformationMessage(
          `Jetty: "${run.title}" is still running. Cancel it first, then remove it.`,
        );
        return;
      }
      tree.remove(run);
    }),
    vscode.commands.registerCommand('jetty.trajectory.openRunFolder', async (node?: TrajectoryNode) => {
      const target = selected(node);
      const run = target instanceof Run ? target : target?.run;
      if (!run?.info.folder) return;
      await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(run.info.folder));
    }),
    vscode.commands.registerCommand('jetty.clearFinishedRuns', () => {
      for (const run of [...tree.runs]) if (run.status !== 'running') tree.remove(run);
    }),
    vscode.commands.registerCommand('jetty.showOutput', showOutput),
    // Resolves to the ids of the runs it opened (none when the user cancels or no file could be read).
    vscode.commands.registerCommand(
      'jetty.openTrajectoryLog',
      async (arg?: vscode.Uri | vscode.Uri[]): Promise<string[]> => {
        let uris = arg instanceof vscode.Uri ? [arg] : Array.isArray(arg) ? arg : undefined;
        uris ??= await vscode.window.showOpenDialog({
          canSelectMany: true,
          openLabel: 'Open Trajectory',
          title: 'Open a claude-code or codex trajectory log',
          filters: { 'Trajectory logs': ['jsonl', 'ndjson', 'txt', 'json', 'log'], 'All files': ['*'] },
        });
        const ids: string[] = [];
        if (!uris?.length) return ids;
        for (const uri of uris) {
          try {
            ids.push(await openLog(uri));
          } catch (error) {
            showError(error);
          }
        }
        return ids;
      },
    ),
  );

  return {
    startRun,
    tree,
    view,
    channel,
    onDidAppendOutput: output.onDidAppend,
    openLog,
    async idle() {
      await tree.idle();
      output.flush();
    },
  };
}

function logTitle(uri: vscode.Uri): string {
  const parts = uri.path.split('/').filter(Boolean);
  const file = parts.pop() ?? 'trajectory';
  const base = file.replace(/\.(jsonl|ndjson|json|txt|log)$/i, '');
  return GENERIC_NAMES.has(base.toLowerCase()) && parts.length ? `${parts.pop()}/${file}` : base;
}

function slug(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').slice(0, 60) || 'run';
}

function reason(error: unknown): string {
  if (error instanceof vscode.FileSystemError) {
    if (error.code === 'FileNotFound') return 'the file does not exist';
    if (error.code === 'NoPermissions') return 'permission denied';
  }
  return error instanceof Error ? error.message : String(error);
}
