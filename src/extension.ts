// activate(): builds the services and registers each feature. No logic of its own: every feature lives in src/vscode/
// (one file each) over the pure core in src/core/.
import type * as vscode from 'vscode';
import { Redactor } from './core/redact';
import { KeyStore } from './vscode/keyStore';
import { registerKeys, type KeysApi } from './vscode/keys';
import { registerRunbookCodeActions } from './vscode/runbookCodeActions';
import { registerRunbookCodeLens } from './vscode/runbookCodeLens';
import { registerRunbookCompletion } from './vscode/runbookCompletion';
import { registerRunbookDetection } from './vscode/runbookDetection';
import { registerRunbookDiagnostics } from './vscode/runbookDiagnostics';
import { registerRunbookHover } from './vscode/runbookHover';
import { registerRunbookNew } from './vscode/runbookNew';
import { registerRunbookOutline } from './vscode/runbookOutline';
import { registerRunbookSemanticTokens } from './vscode/runbookSemanticTokens';
import { registerCleanUpSandboxes } from './vscode/cleanUpSandboxes';
import { registerComparisons } from './vscode/comparison';
import { registerPastRuns } from './vscode/pastRuns';
import { registerRunCommand } from './vscode/runCommand';
import { registerRunOn } from './vscode/runOn';
import { registerRunViews } from './vscode/runView';
import { testingApi, type TestingApi } from './vscode/testing';
import { registerTrajectories } from './vscode/trajectories';

/**
 * What activate() returns to other extensions: which keys are set (names and states, never a value); everything else
 * a script does goes through the commands, which resolve to plain results. `testing` only under VS Code's test mode.
 */
export interface JettyApi {
  keys: Pick<KeysApi, 'status'>;
  testing?: TestingApi;
}

export function activate(context: vscode.ExtensionContext): JettyApi {
  // The one redactor: everything shown or written passes through it; the key store keeps it knowing every stored value.
  const redactor = new Redactor();
  const keyStore = new KeyStore(context.secrets, redactor);
  context.subscriptions.push(keyStore);
  const runbookDetection = registerRunbookDetection(context);
  // Diagnostics know whether a run's provider key is set; setting or clearing one re-lints the open runbooks.
  const runbookDiagnostics = registerRunbookDiagnostics(context, () => ({
    isKeySet: (name) => keyStore.isSet(name),
  }));
  context.subscriptions.push(keyStore.onDidChange(() => runbookDiagnostics.refresh()));
  registerRunbookCodeActions(context, runbookDiagnostics);
  registerRunbookCompletion(context);
  registerRunbookHover(context);
  registerRunbookSemanticTokens(context);
  registerRunbookCodeLens(context);
  registerRunbookOutline(context);
  registerRunbookNew(context);
  const trajectories = registerTrajectories(context, redactor.redact, () => keyStore.load());
  const keys = registerKeys(context, keyStore, redactor.redact, trajectories.channel);
  const runs = registerRunCommand(context, { keyStore, redactor, trajectories });
  stopRuns = () => runs.stopAll();
  registerCleanUpSandboxes(context, { keyStore, redact: redactor.redact, liveRunIds: runs.liveRunIds });
  const pastRuns = registerPastRuns(context, trajectories, redactor.redact, () => keyStore.load());
  const runViews = registerRunViews(context, trajectories, redactor.redact);
  const comparisons = registerComparisons(context, trajectories, redactor.redact);
  registerRunOn(context, { launcher: runs.launcher, trajectories, comparisons, redact: redactor.redact });
  const testing = testingApi(context, runbookDetection, { keys, trajectories, runs, pastRuns, runViews, comparisons });
  return { keys: { status: () => keys.status() }, ...(testing ? { testing } : {}) };
}

/** Live runs are cancelled and their sandboxes deleted before the extension host lets go. */
let stopRuns: (() => Promise<void>) | undefined;

export function deactivate(): Promise<void> | undefined {
  return stopRuns?.();
}
