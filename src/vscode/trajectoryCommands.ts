// The commands on the Jetty Trajectories view and its nodes: Copy, Show Output, Remove Run, Open Run Folder, Open Main
// Output, Open Summary, Clear Finished Runs. Each takes the node a menu passes (or a run's id), else the selection.
import path from 'node:path';
import * as vscode from 'vscode';
import type { TrajectoryDocuments } from './trajectoryDocuments';
import { Run, SUMMARY_FILE, type TrajectoryNode, type TrajectoryTreeProvider } from './trajectoryTree';

export function registerTrajectoryCommands(
  context: vscode.ExtensionContext,
  deps: {
    tree: TrajectoryTreeProvider;
    view: vscode.TreeView<TrajectoryNode>;
    documents: TrajectoryDocuments;
    showOutput: () => void;
  },
): void {
  const { tree, view, documents } = deps;
  const selected = (node: unknown): TrajectoryNode | undefined =>
    (node as TrajectoryNode | undefined) ?? view.selection[0];
  const runOf = (node: unknown): Run | undefined => {
    if (typeof node === 'string') return tree.find(node);
    const target = selected(node);
    return target instanceof Run ? target : target?.run;
  };
  /** Opens a file of the run's results; says so when the run has none such. Resolves whether it opened one. */
  const openResult = async (node: unknown, pick: (run: Run) => string | undefined, what: string) => {
    const run = runOf(node);
    if (!run) return false;
    const file = pick(run);
    if (!file || !run.resultsFolder) {
      void vscode.window.showInformationMessage(`Jetty: "${run.title}" brought home no ${what}.`);
      return false;
    }
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(run.resultsFolder, file)));
    return true;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.trajectory.copy', async (node?: TrajectoryNode) => {
      const target = selected(node);
      if (target) await vscode.env.clipboard.writeText(documents.contentOf(target));
    }),
    // An output channel cannot be scrolled to a line, so the menu item says "Show Output": that is all it does.
    vscode.commands.registerCommand('jetty.trajectory.revealInOutput', deps.showOutput),
    vscode.commands.registerCommand('jetty.trajectory.removeRun', (node?: TrajectoryNode) => {
      const run = runOf(node);
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
      const run = runOf(node);
      if (!run?.info.folder) return;
      await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(run.info.folder));
    }),
    vscode.commands.registerCommand('jetty.openMainOutput', (node?: unknown) =>
      openResult(node, (run) => run.primaryFiles[0], 'main output'),
    ),
    vscode.commands.registerCommand('jetty.openSummary', (node?: unknown) =>
      openResult(node, (run) => (run.results.includes(SUMMARY_FILE) ? SUMMARY_FILE : undefined), 'summary.md'),
    ),
    vscode.commands.registerCommand('jetty.clearFinishedRuns', () => {
      for (const run of [...tree.runs]) if (run.status !== 'running') tree.remove(run);
    }),
    vscode.commands.registerCommand('jetty.showOutput', deps.showOutput),
  );
}
