// The commands on the Jetty Trajectories view and its nodes: Copy, Show Output, Remove Run, Open Run Folder, Clear
// Finished Runs. Each takes the node a menu passes, else the view's selection.
import * as vscode from 'vscode';
import type { TrajectoryDocuments } from './trajectoryDocuments';
import { Run, type TrajectoryNode, type TrajectoryTreeProvider } from './trajectoryTree';

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
    const target = selected(node);
    return target instanceof Run ? target : target?.run;
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
    vscode.commands.registerCommand('jetty.clearFinishedRuns', () => {
      for (const run of [...tree.runs]) if (run.status !== 'running') tree.remove(run);
    }),
    vscode.commands.registerCommand('jetty.showOutput', deps.showOutput),
  );
}
