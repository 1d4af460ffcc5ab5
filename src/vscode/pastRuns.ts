// Past runs come back into the Jetty Trajectories tree from each workspace folder's `.jetty/runs/`: the newest few,
// with their events and how they ended, quietly (the output channel does not replay them), so a user finds a run
// again after a reload. A saved run already in the tree (a run of this window: it saves run.json as it starts) is not
// added again.
import path from 'node:path';
import * as vscode from 'vscode';
import { RUNS_FOLDER, loadRuns } from '../core/run/runs';
import type { TrajectoriesApi } from './trajectories';

/** How many saved runs per workspace folder come back into the tree. */
const RESTORED_RUNS = 20;

export interface PastRunsApi {
  /** Puts the runs saved in the workspace back into the tree (what the view's first showing does). */
  restore(): Promise<void>;
}

export function registerPastRuns(
  context: vscode.ExtensionContext,
  trajectories: TrajectoriesApi,
  redact: (text: string) => string,
  keysLoaded: () => Promise<unknown>,
): PastRunsApi {
  // Restoring waits for the key store: the redactor must know every stored key before saved lines are shown.
  const restoreAll = () => keysLoaded().then(() => restore(trajectories, redact));
  let once: Promise<void> | undefined;
  const restoreOnce = () => (once ??= restoreAll().catch(() => undefined));
  // Done the first time the view is shown rather than at activation, which happens for every markdown file:
  // re-reading trajectories is work nobody should pay for until they look.
  if (trajectories.view.visible) void restoreOnce();
  else {
    const listener = trajectories.view.onDidChangeVisibility((e) => {
      if (!e.visible) return;
      listener.dispose();
      void restoreOnce();
    });
    context.subscriptions.push(listener);
  }
  return { restore: restoreAll };
}

async function restore(trajectories: TrajectoriesApi, redact: (text: string) => string): Promise<void> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const saved = await loadRuns(path.join(folder.uri.fsPath, RUNS_FOLDER), RESTORED_RUNS);
    // The tree puts each run in its place by start time.
    for (const run of saved) await trajectories.restoreRun(run, redact).catch(() => undefined);
  }
}
