// The read-only documents a Jetty Trajectories node opens (URI scheme `jetty-trajectory`): a run's whole log, or one
// entry's full content (a tool call with its input and result, a command with its output). A live run's open documents
// follow it, re-rendered at most every DOCUMENT_REFRESH_MS: the whole run's document is rebuilt each time.
import path from 'node:path';
import * as vscode from 'vscode';
import { formatEvent, fullText } from '../core/trajectory/format';
import { resultNodes, Run, type ResultNode, type TrajectoryNode, type TrajectoryTreeProvider } from './trajectoryTree';

const TRAJECTORY_SCHEME = 'jetty-trajectory';
const DOCUMENT_REFRESH_MS = 1000;

/** A node's document: `/<run id>/<run title>.log` for a run (and its pages), `/<run id>/<n>-<kind>.log` for an entry. */
export function documentUri(node: TrajectoryNode): vscode.Uri {
  if (node instanceof Run)
    return vscode.Uri.from({ scheme: TRAJECTORY_SCHEME, path: `/${node.id}/${slug(node.title)}.log` });
  if (node.type === 'page' || node.type === 'results' || node.type === 'result') return documentUri(node.run);
  return vscode.Uri.from({
    scheme: TRAJECTORY_SCHEME,
    path: `/${node.run.id}/${node.entry.index + 1}-${node.entry.event.kind}.log`,
  });
}

export interface TrajectoryDocuments {
  /** A node's content as its document shows it (redacted). */
  contentOf(node: TrajectoryNode): string;
}

export function registerTrajectoryDocuments(
  context: vscode.ExtensionContext,
  tree: TrajectoryTreeProvider,
  view: vscode.TreeView<TrajectoryNode>,
  redact: (text: string) => string,
): TrajectoryDocuments {
  const documentChanged = new vscode.EventEmitter<vscode.Uri>();

  function contentOf(node: TrajectoryNode): string {
    if (node instanceof Run || node.type === 'page') {
      const run = node instanceof Run ? node : node.run;
      const lines = [`# ${run.title} — ${run.status}${run.error ? `: ${run.error}` : ''}`];
      if (run.info.file) lines.push(`# ${run.info.file}`);
      for (const event of run.events) lines.push(...formatEvent(event, { maxOutput: Infinity }));
      return redact(lines.join('\n') + '\n');
    }
    if (node.type === 'results') return redact(resultNodes(node.run).map(resultText).join('\n') + '\n');
    if (node.type === 'result') return redact(resultText(node) + '\n');
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

  const staleRuns = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    timer = undefined;
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === TRAJECTORY_SCHEME && staleRuns.has(document.uri.path.split('/')[1] ?? ''))
        documentChanged.fire(document.uri);
    }
    staleRuns.clear();
  };

  context.subscriptions.push(
    documentChanged,
    tree.onDidRefresh((runs) => {
      for (const run of runs) staleRuns.add(run.id);
      if (staleRuns.size) timer ??= setTimeout(refresh, DOCUMENT_REFRESH_MS);
    }),
    { dispose: () => clearTimeout(timer) },
    vscode.workspace.registerTextDocumentContentProvider(TRAJECTORY_SCHEME, {
      onDidChange: documentChanged.event,
      provideTextDocumentContent: (uri) => {
        const node = nodeOf(uri);
        return node ? contentOf(node) : 'This run is no longer in the Jetty Trajectories view.\n';
      },
    }),
    vscode.commands.registerCommand('jetty.trajectory.open', async (node?: TrajectoryNode) => {
      const target = node ?? view.selection[0];
      if (!target) return;
      const uri = documentUri(target);
      documentChanged.fire(uri); // a live run's document shows its latest state
      await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
    }),
  );
  return { contentOf };
}

function slug(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').slice(0, 60) || 'run';
}

/** A result as text (Copy): a file's path under the run's results, a stage's outcome and message. */
function resultText({ run, file, stage }: ResultNode): string {
  if (stage) return `${stage.name}: ${stage.outcome}${stage.message ? ` — ${stage.message}` : ''}`;
  return run.resultsFolder ? path.join(run.resultsFolder, file!) : file!;
}
