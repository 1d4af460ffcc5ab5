// "Jetty: Open Trajectory Log…": a saved claude-code or codex stream (any file, the format detected) opened as a
// finished run in the tree and echoed to the output channel, through the core's readTrajectory with the redactor. A
// file that cannot be read gives a clear message and no run.
import * as vscode from 'vscode';
import { TRAJECTORY_FORMATS } from '../core/agents';
import { errorMessage } from '../core/text';
import { readTrajectory } from '../core/trajectory/read';
import { statusOfLog, type RunInfo } from '../core/trajectory/trajectories';
import type { OutputWriter } from './output';
import type { TreeRunHandle } from './trajectories';
import type { Run, TrajectoryNode, TrajectoryTreeProvider } from './trajectoryTree';

/** Saved logs named after what they are, not after the run: label them with their folder too. */
const GENERIC_NAMES = new Set(['trajectory', 'claude-code', 'codex', 'stdout', 'output', 'log', 'events']);

export type OpenLog = (uri: vscode.Uri) => Promise<string>;

export function registerOpenTrajectoryLog(
  context: vscode.ExtensionContext,
  deps: {
    startRun: (info: RunInfo) => TreeRunHandle;
    tree: TrajectoryTreeProvider;
    view: vscode.TreeView<TrajectoryNode>;
    output: OutputWriter;
    redact: (text: string) => string;
    keysLoaded: () => PromiseLike<unknown>;
  },
): OpenLog {
  const { tree, view, output, redact } = deps;

  /** Opens a saved trajectory as a finished run; resolves to its run id. Throws a readable Error if it cannot be read. */
  async function openLog(uri: vscode.Uri): Promise<string> {
    // A log from elsewhere may hold a key this window has stored: its lines are shown only once the redactor knows them.
    await deps.keysLoaded();
    const fileName = uri.path.split('/').pop() || uri.path;
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch (error) {
      throw new Error(`cannot open ${fileName}: ${reason(error)}`, { cause: error });
    }
    if (stat.type & vscode.FileType.Directory) throw new Error(`${fileName} is a folder, not a trajectory log`);
    const handle = deps.startRun({
      runbook: logTitle(uri),
      source: 'file',
      file: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
    });
    const run: Run = tree.find(handle.id)!;
    // Streamed from a file: a log of any size opens in bounded memory besides the events themselves, and the extension
    // host gets the event loop back between chunks.
    const read = await readTrajectory(uri.scheme === 'file' ? uri.fsPath : [await vscode.workspace.fs.readFile(uri)], {
      formats: TRAJECTORY_FORMATS,
      transformLine: redact,
      onEvents: (batch) => handle.append(batch),
      onFormat: (format) => {
        if (format !== 'unknown') run.info = { ...run.info, agent: format };
      },
    });
    if (read.error !== undefined) {
      handle.finish('failed', `could not read all of ${fileName}: ${reason(read.error)}`);
      return handle.id;
    }
    const { status, error } = statusOfLog(run.summary.summary);
    handle.finish(status, error);
    if (view.visible) {
      await Promise.resolve(view.reveal(run, { select: false, focus: false, expand: true })).catch(() => undefined);
    }
    return handle.id;
  }

  const showError = (error: unknown) => {
    const message = `Jetty: ${redact(reason(error))}`;
    output.write('error', message);
    void vscode.window.showErrorMessage(message);
  };

  context.subscriptions.push(
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
  return openLog;
}

function logTitle(uri: vscode.Uri): string {
  const parts = uri.path.split('/').filter(Boolean);
  const file = parts.pop() ?? 'trajectory';
  const base = file.replace(/\.(jsonl|ndjson|json|txt|log)$/i, '');
  return GENERIC_NAMES.has(base.toLowerCase()) && parts.length ? `${parts.pop()}/${file}` : base;
}

function reason(error: unknown): string {
  if (error instanceof vscode.FileSystemError) {
    if (error.code === 'FileNotFound') return 'the file does not exist';
    if (error.code === 'NoPermissions') return 'permission denied';
  }
  return errorMessage(error);
}
