// "Jetty: Run Runbook" and "Jetty: Cancel Run": the VS Code side of running a runbook. It gathers what the core needs
// (the document, settings, keys from SecretStorage), asks the questions only a person can answer (run on this machine?
// set the missing key?), shows progress with a Cancel button, and turns the runner's outcome into a notification whose
// buttons take the next step. Everything else is the core's plan and runner (src/core/run/), the pipeline the CLI uses.
//
// Also here: the concurrency limit (jetty.run.maxConcurrent), running only in trusted workspaces, and stopAll() for
// deactivate(): live runs are cancelled and their sandboxes deleted before the extension goes away.
import path from 'node:path';
import * as vscode from 'vscode';
import { settingsCredentials } from '../core/keys';
import type { Redactor } from '../core/redact';
import { explainBlocked, explainUnexpected, type RunError } from '../core/run/errors';
import { prepareRun } from '../core/run/prepare';
import { runPlan, type RunOutcome } from '../core/run/runner';
import { RUNS_FOLDER, runbookName } from '../core/run/runs';
import type { FinishedStatus } from '../core/trajectory/trajectories';
import { secretScope, type KeyStore } from './keyStore';
import { confirm } from './confirm';
import { isRunbook, pickWorkspaceRunbook } from './runbookDetection';
import { OPEN_RUN, openSetting, showRunError } from './runNotifications';
import { readConfiguration } from './settings';
import { VSCODE_WORDS } from './words';
import { askParameters, inputFiles, pickInputFiles } from './runInputs';
import { InputError, runParameters } from '../core/run/inputs';
import type { InputFile } from '../core/run/plan';
import type { TrajectoriesApi } from './trajectories';

/** What "Jetty: Run Runbook" resolves to (for tests and scripts): how the run ended, never a secret. */
export interface RunCommandResult {
  /** `blocked`: the runbook could not start (lint errors, missing keys…); `not-started`: nothing to run or declined. */
  status: FinishedStatus | 'blocked' | 'not-started';
  /** The run folder's name. */
  runId?: string;
  /** The run's id in the Jetty Trajectories tree. */
  trajectoryId?: string;
  folder?: string;
  exitCode?: number;
  results?: string[];
  error?: RunError;
  cleanupError?: RunError;
}

export interface RunsApi {
  /** The runs going on in this window. */
  live(): { trajectoryId: string; runId: string; runbook: string }[];
  /** The run folder names (the sandboxes' `jetty-run` labels) of the runs going on in this window. */
  liveRunIds(): ReadonlySet<string>;
  /** Cancels every live run and resolves when their sandboxes are deleted. */
  stopAll(): Promise<void>;
}

interface LiveRun {
  runbook: string;
  runId: string;
  trajectoryId: string | undefined;
  cancel: AbortController;
  done: Thenable<unknown>;
}

/** Asked once per workspace: a local run runs the workspace's agents on this machine (isolated, but here). */
const LOCAL_CONFIRMED = 'jetty.localSandbox.confirmed';

export interface RunCommandDeps {
  keyStore: KeyStore;
  redactor: Redactor;
  trajectories: TrajectoriesApi;
}

export function registerRunCommand(context: vscode.ExtensionContext, deps: RunCommandDeps): RunsApi {
  const { keyStore, redactor, trajectories } = deps;
  const redact = redactor.redact;
  const channel = trajectories.channel;
  const live = new Set<LiveRun>();
  // The palette offers Cancel Run only while a run is going (`jetty.hasLiveRuns` in the manifest).
  const liveChanged = () => void vscode.commands.executeCommand('setContext', 'jetty.hasLiveRuns', live.size > 0);

  // What a URL setting may carry (a gateway's https://user:token@… or ?key=…) is hidden everywhere, not only in runs
  // (Clean Up Sandboxes names the Daytona URL too). Each run adds its folder's own values (plan.secretValues).
  const hideUrlCredentials = () => redactor.set('url settings', settingsCredentials(readConfiguration().provider));
  hideUrlCredentials();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('jetty') && hideUrlCredentials()),
  );

  async function run(arg?: unknown, askFiles = false): Promise<RunCommandResult> {
    const given = runArguments(arg);
    if (!vscode.workspace.isTrusted) {
      void vscode.window
        .showWarningMessage(
          'Jetty: running a runbook starts an agent with a shell, so it needs a trusted workspace.',
          'Manage Workspace Trust',
        )
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
        });
      return { status: 'not-started' };
    }
    const document = await runbookDocument(given.runbook);
    if (!document) {
      void vscode.window.showInformationMessage(
        'Jetty: open a runbook (a markdown file with `agent` or `model` in its front-matter) to run it.',
      );
      return { status: 'not-started' };
    }
    const root = runsRootOf(document.uri);
    if (!root) {
      void vscode.window.showWarningMessage(
        'Jetty: save the runbook in a folder first: its run is kept in .jetty/runs/ next to it.',
      );
      return { status: 'not-started' };
    }
    const settings = readConfiguration(document.uri);
    const sandbox = settings.sandbox;
    if (sandbox === 'local' && !(await confirmLocal(context))) return { status: 'not-started' };

    const parameters = await askParameters(
      context.workspaceState,
      document.uri,
      runParameters(document.getText()),
      given.parameters,
    );
    if (!parameters) return { status: 'not-started' };
    let files: InputFile[] = [];
    try {
      if (given.files) files = await inputFiles(given.files);
      else if (askFiles) {
        const picked = await pickInputFiles(document.uri);
        if (!picked) return { status: 'not-started' };
        files = picked;
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      void vscode.window.showErrorMessage(`Jetty: ${error.message}. Nothing was started.`);
      return { status: 'not-started' };
    }

    await keyStore.load();
    const text = document.getText();
    const name = runbookName(document.uri.path);
    const runbookFile =
      path.relative(path.dirname(path.dirname(root)), document.uri.fsPath) || path.basename(document.uri.fsPath);
    const prepared = await prepareRun({
      text,
      name,
      sandbox,
      settings,
      // A runbook secret is its workspace folder's: never another repository's of the same name.
      value: (key) => keyStore.get(key.name, key.kind, key.kind === 'secret' ? secretScope(document.uri) : undefined),
      parameters,
      inputFiles: files,
    });
    if (!prepared.ok) {
      const error = explainBlocked(prepared.blocked, path.basename(document.uri.fsPath), VSCODE_WORDS);
      channel.error(redact(`${error.message}\n${error.nextStep}`));
      // Setting the missing keys continues the run: the same command, once every key it asked for is there.
      const rerun =
        prepared.blocked.reason === 'missing-keys'
          ? () => void vscode.commands.executeCommand('jetty.runRunbook', document.uri)
          : undefined;
      showRunError(error, redact, rerun);
      return { status: 'blocked', error };
    }
    const plan = prepared.plan;
    if (plan.providerSwitch) channel.info(`${name}: ${plan.providerSwitch.note}`);
    redactor.set(`run:${name}:${Date.now()}`, plan.secretValues);

    // Checked here, with no await until the run is counted, so two quick starts cannot both take the last place.
    const limit = Math.max(1, settings.maxConcurrent);
    if (live.size >= limit) {
      void vscode.window
        .showWarningMessage(
          `Jetty: ${live.size} run${live.size === 1 ? ' is' : 's are'} going already, the most jetty.run.maxConcurrent allows. Wait for one to finish, or cancel one.`,
          'Open Settings',
        )
        .then((choice) => choice && openSetting('jetty.run.maxConcurrent'));
      return { status: 'not-started' };
    }
    const provider = prepared.createProvider();
    const entry: LiveRun = {
      runbook: name,
      runId: '',
      trajectoryId: undefined,
      cancel: new AbortController(),
      done: Promise.resolve(),
    };
    live.add(entry);
    liveChanged();
    const outcome = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Jetty: ${name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => entry.cancel.abort());
        try {
          return await runPlan(plan, {
            provider,
            trajectories,
            redact,
            runsRoot: root,
            runbookFile,
            timeoutMinutes: Math.max(1 / 60, settings.timeoutMinutes),
            signal: entry.cancel.signal,
            words: VSCODE_WORDS,
            resultLimits: settings.resultLimits,
            onProgress: (message) => progress.report({ message }),
            onStarted: (started) => {
              entry.runId = started.id;
              entry.trajectoryId = started.trajectoryId;
            },
          });
        } finally {
          await provider.dispose().catch(() => undefined);
          live.delete(entry);
          liveChanged();
        }
      },
    );
    entry.done = outcome;
    const result = await outcome;
    // Said where it stays: what the download left out, and which results hold a key (run.json has both too).
    if (result.dropped.length)
      channel.warn(
        `${name}: left out of the results: ${result.dropped.map((d) => `${d.path} (${d.reason})`).join('; ')}`,
      );
    if (result.withSecrets.length)
      channel.warn(
        `${name}: these results hold a key or secret of this run (left as the agent wrote them): ${result.withSecrets.join(', ')}`,
      );
    report(result, name);
    return {
      status: result.status,
      ...(result.id ? { runId: result.id } : {}),
      trajectoryId: result.trajectoryId,
      ...(result.folder ? { folder: result.folder } : {}),
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      results: result.results,
      ...(result.error ? { error: result.error } : {}),
      ...(result.cleanupError ? { cleanupError: result.cleanupError } : {}),
    };
  }

  /** The notification at the end of a run. Not awaited: the command resolves while it is shown. */
  function report(outcome: RunOutcome, name: string): void {
    if (outcome.cleanupError) showRunError(outcome.cleanupError, redact);
    const openRun = () => void vscode.commands.executeCommand('jetty.openRun', outcome.trajectoryId);
    if (outcome.status === 'succeeded') {
      const files = outcome.results.length;
      void vscode.window
        .showInformationMessage(
          `Jetty: ${name} succeeded; ${files} result file${files === 1 ? '' : 's'} in .jetty/runs/${outcome.id}/results.`,
          OPEN_RUN,
          'Open Run Folder',
        )
        .then((choice) => {
          if (choice === OPEN_RUN) openRun();
          else if (choice && outcome.folder)
            void vscode.commands.executeCommand(
              'revealInExplorer',
              vscode.Uri.file(path.join(outcome.folder, 'results')),
            );
        });
    } else if (outcome.status === 'cancelled') {
      void vscode.window
        .showInformationMessage(
          `Jetty: ${name} was cancelled; its sandbox was deleted, and what the agent printed until then is kept.`,
          OPEN_RUN,
        )
        .then((choice) => choice && openRun());
    } else if (outcome.error) {
      showRunError(outcome.error, redact, undefined, openRun);
    }
  }

  async function cancel(arg?: unknown): Promise<boolean> {
    const id =
      typeof arg === 'string'
        ? arg
        : arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string'
          ? arg.id
          : undefined;
    let target = id ? [...live].find((r) => r.trajectoryId === id || r.runId === id) : undefined;
    if (!target && !id) {
      const runs = [...live];
      if (runs.length === 1) target = runs[0];
      else if (runs.length > 1) {
        const picked = await vscode.window.showQuickPick(
          runs.map((r) => ({ label: r.runbook, description: r.runId, run: r })),
          { title: 'Jetty: Cancel Run', placeHolder: 'Which run to cancel' },
        );
        target = picked?.run;
      }
    }
    if (!target) {
      if (!id) void vscode.window.showInformationMessage('Jetty: no run is going on.');
      return false;
    }
    target.cancel.abort();
    await Promise.resolve(target.done).catch(() => undefined);
    return true;
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.runRunbook', (arg?: unknown) =>
      run(arg).catch((error: unknown) => {
        const explained = explainUnexpected(error);
        showRunError(explained, redact);
        return { status: 'not-started', error: explained } satisfies RunCommandResult;
      }),
    ),
    vscode.commands.registerCommand('jetty.runRunbookWithFiles', (arg?: unknown) =>
      run(arg, true).catch((error: unknown) => {
        const explained = explainUnexpected(error);
        showRunError(explained, redact);
        return { status: 'not-started', error: explained } satisfies RunCommandResult;
      }),
    ),
    vscode.commands.registerCommand('jetty.cancelRun', cancel),
  );

  return {
    live: () => [...live].map((r) => ({ trajectoryId: r.trajectoryId ?? '', runId: r.runId, runbook: r.runbook })),
    liveRunIds: () => new Set([...live].map((r) => r.runId)),
    async stopAll() {
      const runs = [...live];
      for (const r of runs) r.cancel.abort();
      await Promise.allSettled(runs.map((r) => r.done));
    },
  };
}

/**
 * What the command was given: a runbook's URI (a menu, the code lens), or from a script
 * `{ runbook?, parameters?, files? }`, parameters given there not being asked for.
 */
function runArguments(arg: unknown): {
  runbook?: vscode.Uri;
  parameters?: Record<string, string>;
  files?: vscode.Uri[];
} {
  if (arg instanceof vscode.Uri) return { runbook: arg };
  if (!arg || typeof arg !== 'object') return {};
  const { runbook, parameters, files } = arg as Record<string, unknown>;
  return {
    ...(runbook instanceof vscode.Uri ? { runbook } : {}),
    ...(parameters && typeof parameters === 'object'
      ? { parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, String(v)])) }
      : {}),
    ...(Array.isArray(files) ? { files: files.filter((f): f is vscode.Uri => f instanceof vscode.Uri) } : {}),
  };
}

/** The runbook to run: the URI a menu, code lens or script passed, else the active editor's, else one the user picks. */
async function runbookDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  let document: vscode.TextDocument | undefined;
  if (arg instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(arg);
  else document = vscode.window.activeTextEditor?.document;
  if (!(arg instanceof vscode.Uri) && !(document && isRunbook(document))) {
    const picked = await pickWorkspaceRunbook();
    document = picked && (await vscode.workspace.openTextDocument(picked));
  }
  return document && document.languageId === 'markdown' && isRunbook(document) ? document : undefined;
}

/** `.jetty/runs` in the workspace folder holding the runbook, else next to the runbook. */
function runsRootOf(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder?.uri.scheme === 'file') return path.join(folder.uri.fsPath, RUNS_FOLDER);
  if (uri.scheme === 'file') return path.join(path.dirname(uri.fsPath), RUNS_FOLDER);
  const first = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return first && path.join(first.uri.fsPath, RUNS_FOLDER);
}

/** Asked once per workspace (each repository's runbooks are that repository's): run its agents on this machine? */
async function confirmLocal(context: vscode.ExtensionContext): Promise<boolean> {
  if (context.workspaceState.get<boolean>(LOCAL_CONFIRMED)) return true;
  const agreed = await confirm(
    'Run the agent on this machine?',
    "jetty.sandbox is \"local\": this workspace's runbooks run here in a bubblewrap sandbox, not in Daytona. The agent sees this machine's system read-only and the network, and writes only in a folder of the run's own (deleted after); your home and files are not there. You are asked this once for this workspace.",
    'Run on This Machine',
  );
  if (!agreed) return false;
  await context.workspaceState.update(LOCAL_CONFIRMED, true);
  return true;
}
