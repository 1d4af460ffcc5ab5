// What integration tests and benchmarks may look at beyond the public API, only when VS Code runs the extension under
// test: the features' own objects (the trees, the channel, live runs, views), what the extension keeps in its state and
// logs (to scan for a canary), the menus' context key, answers for modal confirmations, its SecretStorage.
import * as vscode from 'vscode';
import { scriptedConfirmations } from './confirm';
import type { ComparisonsApi } from './comparison';
import type { KeysApi } from './keys';
import type { PastRunsApi } from './pastRuns';
import type { RunsApi } from './runCommand';
import type { RunViewsApi } from './runView';
import type { TrajectoriesApi } from './trajectories';

/** The features' own objects, as activate() built them. */
export interface Features {
  keys: KeysApi;
  /** Runs in the Jetty Trajectories view and the Jetty output channel; startRun() is where a run's events arrive. */
  trajectories: TrajectoriesApi;
  /** Runs going on in this window ("Jetty: Run Runbook"). */
  runs: RunsApi;
  pastRuns: PastRunsApi;
  /** The run views ("Jetty: Open Run") and comparisons ("Jetty: Compare Runs") open in this window. */
  runViews: RunViewsApi;
  comparisons: ComparisonsApi;
}

export interface TestingApi extends Features {
  /** Everything the extension keeps in global and workspace state, as stored. */
  storedState(): { global: Record<string, unknown>; workspace: Record<string, unknown> };
  /** The extension's log folder (its output channels and logs are written under the session folder above it). */
  logUri: vscode.Uri;
  /** What the context key `jetty.runbooks` (read by the manifest's menus) was last set to: the open runbooks' URIs. */
  openRunbooks(): readonly string[];
  /** Answers for the modal confirmations a test cannot click, and the questions asked. */
  confirmations: typeof scriptedConfirmations;
  /** The extension's own SecretStorage, for tests that watch how the key store uses it. */
  secrets: vscode.SecretStorage;
}

export function testingApi(
  context: vscode.ExtensionContext,
  runbooks: { openRunbooks(): readonly string[] },
  features: Features,
): TestingApi | undefined {
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const dump = (memento: vscode.Memento): Record<string, unknown> =>
    Object.fromEntries(memento.keys().map((key) => [key, memento.get(key)]));
  return {
    ...features,
    storedState: () => ({ global: dump(context.globalState), workspace: dump(context.workspaceState) }),
    logUri: context.logUri,
    openRunbooks: () => runbooks.openRunbooks(),
    confirmations: scriptedConfirmations,
    secrets: context.secrets,
  };
}
